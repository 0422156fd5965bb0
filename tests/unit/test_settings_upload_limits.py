"""Issue 15: every environment variable is read through evaluation/settings.py at call time, and each
upload limit is one setting in decimal megabytes; Streamlit's own limit (`server.maxUploadSize`, binary
megabytes) lets through a file as large as the largest app limit, so the app's own message refuses it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from evaluation import settings
from evaluation.excel_io import limits

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".streamlit" / "config.toml"


def test_streamlit_takes_a_file_as_large_as_the_largest_app_limit(monkeypatch):
    for name in ("SPBE_MAX_UPLOAD_MB", "SPBE_WORKBOOK_MAX_MB"):
        monkeypatch.delenv(name, raising=False)
    streamlit_bytes = tomllib.loads(CONFIG.read_text())["server"]["maxUploadSize"] * 1024 * 1024
    assert streamlit_bytes >= max(settings.evidence_max_bytes(), settings.workbook_max_bytes())


def test_the_upload_limits_default_to_20_and_50_decimal_megabytes(monkeypatch):
    monkeypatch.delenv("SPBE_MAX_UPLOAD_MB", raising=False)
    monkeypatch.delenv("SPBE_WORKBOOK_MAX_MB", raising=False)
    assert settings.evidence_max_bytes() == 20_000_000
    assert settings.workbook_max_bytes() == 50_000_000
    assert limits.megabytes(limits.max_upload_bytes()) == "50 MB"


def test_the_upload_limits_are_read_at_each_call(monkeypatch):
    monkeypatch.setenv("SPBE_MAX_UPLOAD_MB", "2.5")
    monkeypatch.setenv("SPBE_WORKBOOK_MAX_MB", "7")
    assert settings.evidence_max_bytes() == 2_500_000
    assert limits.max_upload_bytes() == 7_000_000


@pytest.mark.parametrize("raw", ["", "zero", "0", "-3"])
def test_a_missing_or_unusable_upload_limit_falls_back_to_the_default(monkeypatch, raw):
    monkeypatch.setenv("SPBE_WORKBOOK_MAX_MB", raw)
    assert settings.workbook_max_bytes() == 50_000_000


def test_the_other_settings_follow_the_environment_at_call_time(monkeypatch):
    monkeypatch.setenv("SPBE_SCORING_CACHE_ENTRIES", "4")
    monkeypatch.setenv("SPBE_DEMO_AGENCIES", "60")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.db")
    assert settings.scoring_cache_entries() == 4
    assert settings.demo_agency_limit() == 60
    assert settings.configured_database_url() == "sqlite:///elsewhere.db"
    for name in ("SPBE_SCORING_CACHE_ENTRIES", "SPBE_DEMO_AGENCIES", "DATABASE_URL"):
        monkeypatch.delenv(name)
    assert settings.scoring_cache_entries() == 32
    assert settings.demo_agency_limit() is None
    assert settings.configured_database_url() is None


def test_horizon_lengths_need_three_whole_numbers(monkeypatch):
    monkeypatch.setenv("SPBE_HORIZON_YEARS", "2,4")
    with pytest.raises(ValueError, match="SPBE_HORIZON_YEARS"):
        settings.horizon_lengths()
    monkeypatch.setenv("SPBE_HORIZON_YEARS", "2,4,6")
    assert settings.horizon_lengths() == (2, 4, 6)


def test_no_product_module_reads_the_environment_outside_settings():
    readers = re.compile(r"os\.environ|getenv\(")
    product = [ROOT / "app.py", *(ROOT / "app_pages").rglob("*.py"), *(ROOT / "evaluation").rglob("*.py")]
    product += list((ROOT / "indicators").rglob("*.py"))
    found = [
        str(path.relative_to(ROOT))
        for path in product
        if path.name != "settings.py" and readers.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_setting_variable_is_documented_for_operators():
    documented = "".join(
        (ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "docs/deployment.md")
    )
    source = (ROOT / "evaluation" / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r'"((?:SPBE_|DATABASE_)[A-Z_]+)"', source))
    assert variables, "settings.py names its variables"
    assert sorted(v for v in variables if f"`{v}`" not in documented) == []
