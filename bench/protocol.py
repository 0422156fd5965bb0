"""A light client of Streamlit 1.67's browser protocol, for load benchmarks (issues 14 and 17).

One `StreamlitSession` is one browser tab without the browser: it loads the page once over HTTP (as the
browser does: the `_streamlit_xsrf` cookie and the app's pre-sign-in nonce come back), opens the WebSocket
`/_stcore/stream` with the subprotocols the frontend sends (`streamlit`, then the XSRF token; no earlier
session id: a fresh tab) and the cookies (the app's session cookie among them), then asks for script
runs with `BackMsg.rerun_script` (a `ClientState`: the page by its URL name the first time, by its script
hash afterwards as a click in the sidebar does; the widget values the frontend would send) and reads
`ForwardMsg`s up to `script_finished`.
A run's elements are kept by their delta path, so a widget can be found by its label and changed.

Nothing of the app is imported here: only `streamlit.proto` and `websockets`.
"""

from __future__ import annotations

import asyncio
import re
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

import websockets

# the wire format only (protobuf classes), not Streamlit's UI: this module draws nothing
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: TID251
from streamlit.proto.Element_pb2 import Element  # noqa: TID251
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: TID251
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: TID251
from websockets.typing import Subprotocol

XSRF_COOKIE = "_streamlit_xsrf"
INCIDENT = re.compile(r"INC-[0-9A-F]{10}")  # app_pages/incidents.py: an unexpected error, shown in short
FINISHED = ForwardMsg.ScriptFinishedStatus
TEXT_FIELDS = ("markdown", "alert", "toast", "heading", "text", "code")


class ProtocolError(Exception):
    """The server closed the stream, or a run did not finish in time, or a page or widget was not found."""


@dataclass
class Run:
    """One script run as the client saw it: wall seconds from the request to `script_finished`, the
    elements drawn (by delta path), the page that ran, and the errors shown (exception elements, the app's
    incident messages, a page not found)."""

    seconds: float
    elements: dict[tuple[int, ...], Element]
    page: str
    errors: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        """Every text the run showed: markdown, alerts, toasts, headings, plain text, code."""
        out = []
        for element in self.elements.values():
            kind = element.WhichOneof("type")
            if kind in TEXT_FIELDS:
                out.append(getattr(element, kind).body)
        return out

    def shows(self, text: str) -> bool:
        return any(text in body for body in self.texts())

    def widget(self, kind: str, label: str) -> Any:
        """The first widget of `kind` ("radio", "selectbox", ...) with this label, or ProtocolError."""
        for element in self.elements.values():
            if element.WhichOneof("type") == kind and getattr(element, kind).label == label:
                return getattr(element, kind)
        raise ProtocolError(f"no {kind} labelled {label!r} on page {self.page!r}")


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _load_page(url: str, cookies: dict[str, str], timeout: float) -> dict[str, str]:
    """GET the app's page as a browser does first; the cookies it sets (XSRF token, nonce, affinity)."""
    request = urllib.request.Request(url, headers={"Cookie": _cookie_header(cookies)})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        jar: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


class StreamlitSession:
    """One signed-in (or anonymous) tab: `await open()`, then `await run(page=...)` and
    `await change(kind, label, option)`; `await close()` at the end.

    `base` is the server (or proxy) URL, `cookies` what the browser holds for it (the app's session cookie,
    a load balancer's affinity cookie)."""

    def __init__(
        self, base: str, cookies: dict[str, str] | None = None, *, locale: str = "id-ID", timeout: float = 120
    ) -> None:
        self.base = base.rstrip("/")
        self.cookies = dict(cookies or {})
        self.locale = locale
        self.timeout = timeout
        self.page_hashes: dict[str, str] = {}  # url path -> script hash, from the navigation message
        self.page = ""
        self.widgets: dict[str, WidgetState] = {}  # what this tab changed on the current page
        self.set_values: dict[str, str] = {}  # what the server last set a widget to (its session state)
        self.last: Run | None = None
        self._socket: Any = None

    async def open(self, page: str = "") -> Run:
        """Load the page over HTTP, open the stream and run `page` (a URL path such as "penilaian")."""
        set_cookies = await asyncio.to_thread(
            _load_page, f"{self.base}/{page}", self.cookies, min(self.timeout, 60)
        )
        self.cookies.update(set_cookies)
        parts = urlsplit(self.base)
        scheme = "wss" if parts.scheme == "https" else "ws"
        try:
            self._socket = await websockets.connect(
                f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream",
                subprotocols=[Subprotocol(p) for p in ("streamlit", self.cookies.get(XSRF_COOKIE)) if p],
                additional_headers={"Cookie": _cookie_header(self.cookies), "Origin": self.base},
                max_size=None,
                open_timeout=min(self.timeout, 60),
            )
        except websockets.WebSocketException as exc:  # refused handshake, bad status
            raise ProtocolError(f"stream not opened: {exc}") from exc
        return await self.run(page)

    def _lost(self) -> None:
        """The server closed the stream: the tab must be opened again (a browser reconnects)."""
        self._socket = None
        self.last = None

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None

    def _request(self, page: str) -> BackMsg:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = ""
        if page in self.page_hashes:  # a click in the sidebar
            state.page_script_hash = self.page_hashes[page]
        else:  # a first load of this URL
            state.page_name = page
        state.context_info.locale = self.locale
        state.context_info.timezone = "Asia/Jakarta"
        state.context_info.timezone_offset = -420
        state.context_info.url = f"{self.base}/{page}"
        if page == self.page:
            state.widget_states.widgets.extend(self.widgets.values())
        return message

    async def run(self, page: str | None = None) -> Run:
        """Run `page` (default: the current one) with this tab's widget values; a new page starts with
        none, as the frontend forgets the widgets of a page it leaves."""
        page = self.page if page is None else page
        if page != self.page:
            self.widgets = {}
        if self._socket is None:
            raise ProtocolError("no stream open")
        started = time.perf_counter()
        try:
            await self._socket.send(self._request(page).SerializeToString())
        except websockets.ConnectionClosed as exc:
            self._lost()
            raise ProtocolError(f"stream closed before page {page!r}: {exc}") from exc
        run = await self._read_run(started, page)
        self.page = page
        self.last = run
        return run

    async def change(self, kind: str, label: str, option: str) -> Run:
        """Choose `option` (a formatted option, as the widget shows it) in the widget of `kind` with this
        label on the current page, as a click does: a run with the new value."""
        if self.last is None:
            raise ProtocolError("no page open")
        widget = self.last.widget(kind, label)
        if option not in widget.options:
            raise ProtocolError(f"{option!r} is not an option of {label!r}: {list(widget.options)[:5]}")
        self.widgets[widget.id] = WidgetState(id=widget.id, string_value=option)
        return await self.run()

    def value_of(self, kind: str, label: str) -> str | None:
        """The option the widget shows now, as the frontend keeps it: the one this tab chose or the server
        set last (a widget tells its value only in the run that set it), else its default."""
        if self.last is None:
            return None
        widget = self.last.widget(kind, label)
        if widget.id in self.widgets:
            return self.widgets[widget.id].string_value
        if widget.id in self.set_values:
            return self.set_values[widget.id]
        if widget.HasField("default") and 0 <= widget.default < len(widget.options):
            return str(widget.options[widget.default])
        return None

    def _remember(self, element: Element) -> None:
        """A value the server set (`set_value`): kept, and it replaces this tab's choice."""
        kind = element.WhichOneof("type")
        widget = getattr(element, kind) if kind in ("radio", "selectbox") else None
        if widget is None or not widget.set_value:
            return
        value = widget.raw_value if widget.HasField("raw_value") else ""
        self.set_values[widget.id] = value
        if widget.id in self.widgets:
            self.widgets[widget.id] = WidgetState(id=widget.id, string_value=value)

    async def _read_run(self, started: float, page: str) -> Run:
        elements: dict[tuple[int, ...], Element] = {}
        errors: list[str] = []
        deadline = started + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise ProtocolError(f"page {page!r} did not finish in {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self._socket.recv(), left)
            except websockets.ConnectionClosed as exc:
                self._lost()
                raise ProtocolError(f"stream closed on page {page!r}: {exc}") from exc
            except TimeoutError:
                continue
            message = ForwardMsg()
            message.ParseFromString(data)
            kind = message.WhichOneof("type")
            if kind == "new_session":  # a run starts (again, after st.rerun): a fresh page
                elements = {}
            elif kind == "navigation":
                self.page_hashes = {p.url_pathname: p.page_script_hash for p in message.navigation.app_pages}
            elif kind == "page_not_found":
                errors.append(f"page not found: {page!r}")
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                elements[tuple(message.metadata.delta_path)] = element
                self._remember(element)
                if element.WhichOneof("type") == "exception":
                    name = element.exception.type or "details hidden (client.showErrorDetails)"
                    errors.append(f"exception on {page!r}: {name}")
                elif element.WhichOneof("type") == "alert" and INCIDENT.search(element.alert.body):
                    errors.append(f"incident on {page!r}: {INCIDENT.search(element.alert.body)[0]}")  # type: ignore[index]
            elif kind == "script_finished":
                status = message.script_finished
                if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the next run follows on the same request
                if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    errors.append(f"compile error on {page!r}")
                if status == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    continue  # a fragment's own rerun, not the page asked for
                return Run(time.perf_counter() - started, elements, page, errors)
