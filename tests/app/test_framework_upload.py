"""Adding a framework version on the framework page (admin), in AppTest: checked first with every problem
listed, registered only on confirmation, and nothing changed by a refused file."""

from __future__ import annotations

import pytest
from sqlmodel import func, select
from streamlit.testing.v1 import AppTest

from evaluation.db import read_session
from evaluation.models import AuditEntry, FrameworkVersion
from indicators.loader import SHIPPED_DIR
from tests.app.signed_in import APP, open_page, signed_in_page

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]
YAML = "application/x-yaml"
VISION = (SHIPPED_DIR / "vision-to-evaluation.yaml").read_text(encoding="utf-8")
NEXT = VISION.replace('version: "2.0"', 'version: "2.1"', 1)
assert NEXT != VISION


def versions(engine) -> int:
    with read_session(engine) as session:
        return int(session.exec(select(func.count()).select_from(FrameworkVersion)).one())


def upload(at: AppTest, text: str | bytes, name: str = "kerangka.yaml") -> AppTest:
    data = text.encode("utf-8") if isinstance(text, str) else text
    at.file_uploader(key="fw_upload").set_value((name, data, YAML))
    return at.run()


def test_only_an_admin_is_offered_the_upload(demo_engine):
    admin = signed_in_page(demo_engine, "admin", "frameworks.py")
    assert [e.label for e in admin.expander if e.label == "Tambah versi kerangka (admin)"]
    reviewer = signed_in_page(demo_engine, "asesor", "frameworks.py")
    assert not [e for e in reviewer.expander if "kerangka (admin)" in e.label]
    anonymous = AppTest.from_file(str(APP), default_timeout=60).run()
    anonymous = open_page(anonymous, "frameworks.py")
    assert not [e for e in anonymous.expander if "kerangka (admin)" in e.label]


def test_a_broken_file_is_refused_naming_each_problem_and_changes_nothing(demo_engine):
    before = versions(demo_engine)
    broken = NEXT.replace("weight:", "weight: -", 1)
    at = upload(signed_in_page(demo_engine, "admin", "frameworks.py"), broken)
    assert not at.exception
    assert any(e.value.startswith("Berkas ditolak:") for e in at.error)
    [problems] = [d.value for d in at.dataframe if list(d.value.columns) == ["Lokasi", "Masalah"]]
    assert len(problems) >= 1
    assert not [b for b in at.button if b.key == "fw_register"]
    assert versions(demo_engine) == before


def test_a_file_that_is_not_text_is_refused(demo_engine):
    at = upload(signed_in_page(demo_engine, "admin", "frameworks.py"), bytes(range(256)))
    assert [e.value for e in at.error] == ["Berkas bukan teks UTF-8."]


def test_a_valid_file_is_checked_then_registered_and_audited(demo_engine):
    before = versions(demo_engine)
    at = upload(signed_in_page(demo_engine, "admin", "frameworks.py"), NEXT)
    assert [s.value for s in at.success] == [
        "Berkas valid: vision-to-evaluation@2.1 · Dari Visi ke Evaluasi · 22 indikator."
    ]
    assert versions(demo_engine) == before  # checking registers nothing
    at = at.button(key="fw_register").click().run()
    assert not at.exception
    assert versions(demo_engine) == before + 1
    assert "Dari Visi ke Evaluasi · v2.1 (22)" in at.selectbox(key="fw_version").options
    with read_session(demo_engine) as session:
        actions = session.exec(select(AuditEntry.action, AuditEntry.actor)).all()
    assert ("add_framework", "admin") in actions


def test_the_same_version_with_other_content_is_refused_on_registration(demo_engine):
    before = versions(demo_engine)
    changed = VISION.replace("Dari Visi", "Dari Visi (ubah)", 1)
    at = upload(signed_in_page(demo_engine, "admin", "frameworks.py"), changed)
    assert at.success  # the file alone is valid; only the database knows the version is taken
    at = at.button(key="fw_register").click().run()
    assert any("already exist with other content" in e.value for e in at.error)
    assert versions(demo_engine) == before
