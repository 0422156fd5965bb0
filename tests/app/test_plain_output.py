"""No user-supplied text renders as Markdown or HTML (issue 11, ASVS V5.3): a payload goes into every text
field a page shows (agency and user names, justification, evidence file name and link, reviewer and return
notes, target note, activity title/owner/notes, crosswalk basis), then every page is rendered for each role
and every Markdown-rendering element (markdown, captions, alerts, toasts, headings, labels, help, metric
labels, expander and tab labels) is rendered with a CommonMark parser: no image, link, emphasis or heading
may come from the payload. Plotly specs must carry no HTML tag from it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from markdown_it import MarkdownIt
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from evaluation.db import write_session
from evaluation.models import Agency, Assessment, FrameworkVersion, Period, User
from evaluation.services import evidence
from evaluation.services.review import return_for_revision, save_review, start_review
from evaluation.services.roadmap.activities import save_activity
from evaluation.services.roadmap.targets import save_target
from evaluation.services.score_versions import score_versions
from evaluation.services.self_assessment import open_assessment, submit
from evaluation.services.trends import define_crosswalk
from evaluation.storage import LocalEvidenceStore
from tests.app.signed_in import actor, fresh_agency, save, signed_in_page
from tests.integration.workflow_fixtures import MINIMAL_PDF

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]

MARK = "ZQX"  # a token that shows the payload reached the page at all
PAYLOAD = f"{MARK} ![x](http://127.0.0.1:9/x.png) [a](http://evil.invalid) **b** <img src=x> # h"
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
MARKDOWN_KINDS = ("markdown", "caption", "info", "warning", "error", "success", "toast", "title", "header")
MARKDOWN_KINDS += ("subheader",)


def walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def rendered_sources(at: AppTest) -> tuple[list[str], list[str], list[str]]:
    """(Markdown sources the browser would render, plain texts, plotly specs) of every element."""
    markdown, plain, specs = [], [], []
    for node in walk(at._tree):
        kind = getattr(node, "type", "")
        if kind in MARKDOWN_KINDS:
            markdown.append(str(node.value))
        elif kind in ("text", "code"):
            plain.append(str(node.value))
        elif kind in ("dataframe", "table"):
            plain.append(node.value.to_string())
        elif kind == "plotly_chart":
            specs.append(node.proto.spec)
        for attribute in ("label", "help", "placeholder"):
            value = getattr(node, attribute, None)
            if isinstance(value, str) and value:
                (markdown if attribute != "placeholder" else plain).append(value)
        if kind == "metric":
            markdown.extend(str(getattr(node, name, "") or "") for name in ("label", "delta"))
    return markdown, plain, specs


def formatting_from_payload(source: str) -> list[str]:
    """What the payload would turn into when `source` is rendered as Markdown."""
    html = PARSER.render(source)
    found = []
    if "<img" in html:
        found.append("image")
    if "evil.invalid" in html and "<a " in html:
        found.append("link")
    if "<strong>b</strong>" in html:
        found.append("bold")
    if "<h1>h</h1>" in html:
        found.append("heading")
    unescaped = source.replace("\\", "")
    if "http://evil.invalid" in unescaped or "http://127.0.0.1:9" in unescaped:
        found.append("autolink")  # Streamlit's GFM links bare URLs even with escaped punctuation
    return found


@pytest.fixture(scope="module")
def seeded(demo_engine, tmp_path_factory) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return seed_payload(demo_engine, LocalEvidenceStore(tmp_path_factory.mktemp("evidence")))


def seed_payload(engine: Any, store: LocalEvidenceStore) -> dict[str, Any]:
    """Two fresh agencies named with the payload: A's assessment returned with notes, B's in review with a
    payload justification, file and link; A's targets and activities and a crosswalk carry the payload.
    Everything through the services, except the names (set in the database as an import would)."""
    a, b = fresh_agency(engine), fresh_agency(engine)
    with write_session(engine) as session:
        for agency in (a, b):
            session.get(Agency, agency.id).name = f"{PAYLOAD} {agency.code}"  # type: ignore[union-attr]
            for user in session.exec(select(User).where(User.agency_id == agency.id)):
                user.full_name = PAYLOAD
    ids = {}
    with write_session(engine) as session:
        period_id = session.exec(
            select(Period.id)
            .join(FrameworkVersion, FrameworkVersion.id == Period.framework_version_id)  # type: ignore[arg-type]
            .where(FrameworkVersion.framework_id == "pemdi-2026", Period.status == "open")
        ).one()
    for key, agency in (("a", a), ("b", b)):
        with write_session(engine) as session:
            aid = open_assessment(
                session, actor=actor(engine, agency.coordinator), agency_id=agency.id, period_id=period_id
            )
        entries = {f"I{n:02d}": {"level": 3, "justification": PAYLOAD} for n in range(1, 21)}
        save(engine, agency.operator, aid, entries)
        for call, extra in (
            (evidence.upload_evidence, {"store": store, "filename": f"{PAYLOAD}.pdf", "data": MINIMAL_PDF}),
            (evidence.add_link, {"url": "http://evil.invalid/x", "title": PAYLOAD}),
        ):
            with write_session(engine) as session:
                call(
                    session,
                    actor=actor(engine, agency.operator),
                    assessment_id=aid,
                    score_version=score_versions(session, aid)["I01"],
                    indicator_code="I01",
                    **extra,
                )
        reviewer = actor(engine, "asesor")
        with write_session(engine) as session:
            version = session.get(Assessment, aid).version  # type: ignore[union-attr]
            version = submit(
                session, actor=actor(engine, agency.coordinator), assessment_id=aid, expected_version=version
            )
            start_review(session, actor=reviewer, assessment_id=aid, expected_version=version)
        with write_session(engine) as session:
            save_review(
                session,
                actor=reviewer,
                assessment_id=aid,
                versions=score_versions(session, aid),
                entries={"I01": {"final_level": 2, "note": PAYLOAD}},
            )
        ids[key] = aid
    with write_session(engine) as session:
        version = session.get(Assessment, ids["a"]).version  # type: ignore[union-attr]
        return_for_revision(
            session,
            actor=actor(engine, "asesor"),
            assessment_id=ids["a"],
            expected_version=version,
            note=PAYLOAD,
        )
        coordinator = actor(engine, a.coordinator)
        save_target(
            session,
            actor=coordinator,
            agency_id=a.id,
            framework_id="pemdi-2026",
            horizon="short",
            baseline_year=2026,
            target_year=2027,
            target_value=3.5,
            note=PAYLOAD,
        )
        save_activity(
            session,
            actor=coordinator,
            agency_id=a.id,
            framework_id="pemdi-2026",
            title=PAYLOAD,
            owner=PAYLOAD,
            starts_on=date(2026, 1, 5),
            due_on=date(2026, 12, 1),
            indicators=["I01"],
            notes=PAYLOAD,
        )
        define_crosswalk(
            session,
            actor=actor(engine, "admin"),
            from_framework_id="spbe-2020",
            to_framework_id="pemdi-2026",
            factor=1.0,
            offset=0.0,
            basis=PAYLOAD,
        )
    return {"a": a, "b": b, "ids": ids, "store": store}


def pages_for(seeded: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    a, b = seeded["a"], seeded["b"]
    reviewer_pick = {"rv_pick": seeded["ids"]["b"]}
    return [
        (a.operator, "assessment.py", {}),
        (a.coordinator, "assessment.py", {}),
        (a.coordinator, "roadmap.py", {}),
        (a.coordinator, "home.py", {}),
        (a.coordinator, "audit.py", {}),
        (b.operator, "assessment.py", {}),
        ("asesor", "verification.py", reviewer_pick),
        ("asesor", "compare.py", {}),
        ("asesor", "trends.py", {}),
        ("asesor", "gaps.py", {}),
        ("asesor", "rollups.py", {}),
        ("asesor", "national_roadmap.py", {}),
        ("asesor", "home.py", {}),
        ("admin", "users.py", {}),
        ("admin", "trends.py", {}),
        ("admin", "frameworks.py", {}),
    ]


def test_no_page_renders_formatting_from_user_text(seeded, demo_engine, monkeypatch):
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", str(seeded["store"].root))
    reached, problems = [], []
    for username, page, state in pages_for(seeded):
        at = signed_in_page(demo_engine, username, page)
        for key, value in state.items():
            at.selectbox(key=key).set_value(value)
        at = at.run()
        assert not at.exception, (username, page, at.exception)
        markdown, plain, specs = rendered_sources(at)
        for source in markdown:
            found = formatting_from_payload(source)
            if found:
                problems.append((page, username, found, source[:160]))
        for spec in specs:
            texts = json.dumps(json.loads(spec))
            if "<img" in texts or "<a " in texts:
                problems.append((page, username, ["plotly html"], ""))
        if any(MARK in s for s in markdown + plain + specs):
            reached.append((username, page))
    assert problems == []
    # the payload did reach the pages that show these fields (so the check above was not vacuous)
    must_show = {
        ("asesor", "verification.py"),
        (seeded["a"].coordinator, "assessment.py"),
        (seeded["a"].coordinator, "roadmap.py"),
        ("admin", "users.py"),
        ("admin", "trends.py"),
    }
    assert must_show <= set(reached), sorted(must_show - set(reached))


def test_a_link_is_shown_with_its_host_and_opens_only_over_http(seeded, demo_engine, monkeypatch):
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", str(seeded["store"].root))
    at = signed_in_page(demo_engine, seeded["a"].operator, "assessment.py")
    buttons = [b for b in at.get("link_button") if "evil" in b.proto.url]
    assert buttons, "the evidence link is shown as a link button"
    for button in buttons:
        assert button.proto.url.startswith(("http://", "https://"))
        assert "evil\\.invalid" in button.proto.label
        assert formatting_from_payload(button.proto.label) == []
