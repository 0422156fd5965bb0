"""The framework browser in AppTest: hierarchy, criteria, search, languages."""

from __future__ import annotations

import pytest

from indicators.loader import shipped_frameworks

pytestmark = pytest.mark.app


def _open(app, lang="id"):
    at = app(lang=lang)
    return at.switch_page("app_pages/frameworks.py").run()


def _choose(at, framework_id):
    """Pick a shipped framework by its name (the picker shows names and versions, never the id)."""
    shipped = shipped_frameworks()[framework_id]
    box = at.selectbox(key="fw_version")
    position = next(i for i, label in enumerate(box.options) if label.startswith(f"{shipped.name} · v"))
    return box.select_index(position).run()


def test_browser_lists_the_three_shipped_frameworks(app):
    at = _open(app)
    options = at.selectbox(key="fw_version").options
    assert len(options) == 3
    assert any(o.startswith("Evaluasi SPBE (PermenPANRB 59/2020) · v2020.1") for o in options)
    pemdi = "Evaluasi Kinerja Pemerintah Digital (PermenPANRB 8/2026) · v2026.1"
    assert any(o.startswith(pemdi) for o in options)
    assert any(o.startswith("Dari Visi ke Evaluasi · v2.0") for o in options)
    assert not any("spbe-2020" in o for o in options)  # a name, not the id


def test_spbe_shows_domains_aspects_and_all_47_indicators_with_five_criteria(app):
    at = _choose(_open(app), "spbe-2020")
    assert not at.exception
    headings = " ".join(m.value for m in at.markdown)
    assert "### D1 · Kebijakan Internal SPBE" in headings
    assert "#### A8 · Layanan Publik Berbasis Elektronik" in headings
    indicators = [e for e in at.expander if e.label[:1] == "I" and " · " in e.label]
    assert len(indicators) == 47
    table = indicators[0].dataframe[0].value
    assert len(table) == 5
    assert table.iloc[0, 0].startswith("1 Rintisan")


def test_search_narrows_the_browser_to_matching_indicators(app):
    at = _choose(_open(app), "pemdi-2026")
    at = at.text_input(key="fw_search").input("geospasial").run()
    indicators = [e for e in at.expander if e.label.startswith("I")]
    assert [e.label.split(" · ")[0] for e in indicators] == ["I06"]
    assert "SJIG" in " ".join(i.value for i in at.info)


def test_search_without_a_match_says_so(app):
    at = _choose(_open(app), "spbe-2020")
    at = at.text_input(key="fw_search").input("tidak-ada-indikator-seperti-ini").run()
    assert at.warning[0].value == "Tidak ada indikator yang cocok."


def test_browser_in_english_shows_english_criteria(app):
    at = _choose(_open(app, lang="en"), "vision-to-evaluation")
    assert at.title[0].value == "Assessment frameworks"
    first = next(e for e in at.expander if e.label.startswith("V01.1"))
    table = first.dataframe[0].value
    assert list(table.columns) == ["Level", "Criterion", "Evidence expected"]
    assert table.iloc[0, 0] == "1 Initial"
