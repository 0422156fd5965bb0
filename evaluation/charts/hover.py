"""Numbers in a figure's hover labels and annotations, written by the one formatter (`evaluation.formats`)
and handed to plotly as text (customdata, text), never formatted by plotly: d3's `.2f` rounds the binary
float (2.675 -> 2.67, 1.005 -> 1.00) where the scoring rounds half-up (2.68, 1.01), and a hover must say
what the page says, in the reader's locale (Indonesian 3,28 · 10.680; English 3.28 · 10,680)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from evaluation.formats import fmt_level

Formatter = Callable[[float | None, str], str]


def hover_texts(values: Iterable[object], lang: str = "id", fmt: Formatter = fmt_level) -> list[str]:
    """Each value written by `fmt` in `lang` (fmt_level 3,28 by default; fmt_delta +0,42; fmt_share 25%;
    fmt_short 2,5; fmt_count 10.680); None and NaN read as a dash. Each distinct value is written once
    (a national scatter has 6,520 points and a few hundred distinct indices)."""
    written: dict[float | None, str] = {}
    texts = []
    for value in values:
        key = None if value is None else float(value)  # type: ignore[arg-type]
        if key is not None and key != key:  # NaN is never equal to itself: one key for every NaN
            key = None
        text = written.get(key)
        if text is None:
            text = written[key] = fmt(key, lang)
        texts.append(text)
    return texts


def hover_of(
    values: Iterable[object], lang: str, template: str, fmt: Formatter = fmt_level
) -> dict[str, object]:
    """The trace arguments that show `values` written by `fmt` in `lang` (`customdata` and `template`,
    which reads them as %{customdata})."""
    return {"customdata": hover_texts(values, lang, fmt), "hovertemplate": template}
