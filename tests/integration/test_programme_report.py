"""The agency PDF report for a programme period (issue 16) has the programme, the ten steps with the
targets per horizon and the bridge; an official period's report has none of it."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlmodel import select

from evaluation.db import read_session
from evaluation.demo.programme import PROGRAMME_PROVINCE
from evaluation.models import Agency
from evaluation.reports.agency_data import agency_report
from evaluation.reports.agency_pdf import render_agency_report
from evaluation.reports.programme_pdf import bridge_rows, step_rows
from evaluation.services.actors import SYSTEM
from evaluation.services.programmes import programme_periods
from evaluation.services.results import list_periods


def text_of(pdf: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def report_for(engine, *, programme: bool):
    with read_session(engine) as session:
        province = session.exec(select(Agency).where(Agency.code == PROGRAMME_PROVINCE)).one()
        periods = (
            programme_periods(session)
            if programme
            else [p for p in list_periods(session) if not p.is_programme]
        )
        return agency_report(session, actor=SYSTEM, agency_id=province.id or 0, period_id=periods[-1].id)


def test_the_programme_report_has_the_programme_the_steps_with_targets_and_the_bridge(demo_engine):
    report = report_for(demo_engine, programme=True)
    assert (report.period_kind, report.runner, report.runner_name) == (
        "programme",
        "province",
        "Pemerintah Aceh",
    )
    text = text_of(render_agency_report(report, "id"))
    assert "Periode program: 2026 · vision-to-evaluation · program provinsi" in text
    assert "Dijalankan oleh: Pemerintah Aceh" in text
    assert "Sepuluh langkah · Target per jangka" in text and "Jembatan ke indeks resmi" in text
    assert "V08.2 I10, I11, I12 I22, I31" in text
    assert "Asumsi: menaikkan indikator kerangka pendiri" in text


def test_the_step_rows_carry_each_horizons_target_of_the_step(demo_engine):
    report = report_for(demo_engine, programme=True)
    rows = {row[0]: row for row in step_rows(report, "en")}
    assert list(rows) == [f"V{n:02d}" for n in range(1, 11)]
    live = {
        (tv.horizon, tv.target_code): tv.target_value for tv in report.targets if tv.target_kind == "group"
    }
    assert rows["V01"][4:] == [f"{live[(h, 'V01')]:.2f}" for h in ("short", "medium", "long")]
    assert rows["V09"][4:] == ["-", "-", "-"]  # left for the coordinator to plan
    assert rows["V01"][2] == f"{report.result.values_of('domain')['V01']:.2f}"


def test_the_bridge_rows_list_both_official_frameworks(demo_engine):
    rows = {row[0]: row[1:] for row in bridge_rows(report_for(demo_engine, programme=True))}
    assert rows["V10.1"] == ["I03", "I25"]
    assert rows["V02.2"] == ["I19", "-"]


def test_the_english_programme_report(demo_engine):
    text = text_of(render_agency_report(report_for(demo_engine, programme=True), "en"))
    assert "Programme period: 2026 · vision-to-evaluation · province programme" in text
    assert "The bridge to the official index" in text


def test_an_official_period_report_has_no_programme_part(demo_engine):
    report = report_for(demo_engine, programme=False)
    assert report.period_kind == "official"
    text = text_of(render_agency_report(report, "id"))
    assert "Periode program" not in text and "Jembatan ke indeks resmi" not in text


def test_the_report_command_names_the_programme_framework_in_the_file(demo_engine, tmp_path, monkeypatch):
    from evaluation.__main__ import main

    monkeypatch.setenv("DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    args = [
        "report",
        "--year",
        "2026",
        "--agency",
        PROGRAMME_PROVINCE,
        "--as",
        "admin",
        "--out",
        str(tmp_path),
    ]
    assert main(args) == 0  # two periods in 2026: without --framework, the official one
    assert main([*args, "--framework", "vision-to-evaluation"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"laporan-{PROGRAMME_PROVINCE}-2026-id.pdf",
        f"laporan-{PROGRAMME_PROVINCE}-2026-vision-to-evaluation-id.pdf",
    ]
