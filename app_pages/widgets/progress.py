"""A service's progress callback drawn on a Streamlit progress bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evaluation.translatable import Message


def reporting_to(bar: Any, lang: str) -> Callable[[float, Any], None]:
    """`progress=` for a service (start-up, an import's plan and apply): each step moves `bar` (an
    st.progress) to the fraction, capped at 1, with the step's text: a Message in `lang`, or a string."""

    def report(fraction: float, message: Any) -> None:
        text = message.render(lang) if isinstance(message, Message) else str(message)
        bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    return report
