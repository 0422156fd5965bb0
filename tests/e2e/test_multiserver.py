"""Two app servers behind HAProxy on one PostgreSQL database, evidence in S3 (moto), driven by chromium
(issue 14): a session made on one server is recognised on the other; a PDF uploaded through one downloads
byte-identical through the other; a finalization on one shows on the other's dashboard within one rerun;
one server killed mid-session, the user carries on on the other without a lost edit; /ready turns 503
when the database stops. The SERVERID cookie (HAProxy's affinity) chooses the server; the test's proxy
names the server that answered in X-Spbe-Server. Screenshots in test-output/<test name>/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.multiserver import (
    BUCKET,
    Cluster,
    finalizable_agency,
    missing_tool,
    set_database_connections,
    start_cluster,
    status_of,
    stop_cluster,
    stored_level,
    wait_for,
)
from tests.e2e.test_assessment_flow import choose, settle
from tests.integration.workflow_fixtures import MINIMAL_PDF

pytestmark = [pytest.mark.e2e, pytest.mark.multiserver]
PASSWORDS = {"koordinator": "pengaju-demo-2026", "asesor": "penilai-demo-2026"}


@pytest.fixture(scope="module")
def cluster(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    reason = missing_tool()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the multiserver test cannot run under CI: {reason}")
        pytest.skip(reason)
    made = start_cluster(tmp_path_factory.mktemp("multiserver"))
    yield made
    stop_cluster(made)


def sign_in(page: Any, base: str, username: str, password: str, landing: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/masuk")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(f"{landing}$"), timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def on_server(context: Any, cluster: Cluster, server: str) -> None:
    """Pin the browser to `server` through the proxy (HAProxy's affinity cookie)."""
    context.add_cookies([{"name": "SERVERID", "value": server, "url": cluster.proxy}])


def open_page(page: Any, cluster: Cluster, path: str, server: str) -> None:
    response = page.goto(f"{cluster.proxy}{path}")
    assert response is not None and response.headers.get("x-spbe-server") == server
    wait_for_app(page)


def new_page(browser: Any) -> Any:
    page = browser.new_context(viewport={"width": 1400, "height": 2200}, locale="id-ID").new_page()
    page.set_default_timeout(60_000)  # a loaded CI machine: two servers, haproxy and chromium on two cores
    return page


def test_a_session_made_on_one_server_is_recognised_on_the_other(browser, cluster, shots):
    from playwright.sync_api import expect

    page = new_page(browser)
    on_server(page.context, cluster, "app1")
    sign_in(page, cluster.proxy, "koordinator", PASSWORDS["koordinator"], "/penilaian")
    page.screenshot(path=str(shots / "01-signed-in-on-app1.png"))
    on_server(page.context, cluster, "app2")
    open_page(page, cluster, "/penilaian", "app2")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    expect(page.get_by_text("Koordinator SPBE Demo").first).to_be_visible()
    page.screenshot(path=str(shots / "02-same-session-on-app2.png"))
    page.context.close()


def test_a_pdf_uploaded_through_one_server_downloads_byte_identical_through_the_other(
    browser, cluster, shots
):
    from playwright.sync_api import expect
    from sqlmodel import select

    from evaluation.db import make_engine, read_session
    from evaluation.models import Evidence
    from tests.s3_fixtures import s3_client

    page = new_page(browser)
    on_server(page.context, cluster, "app1")
    sign_in(page, cluster.proxy, "koordinator", PASSWORDS["koordinator"], "/penilaian")
    choose(page, "Indikator", "I01 ·")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "sk-tim-spbe.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_role("button", name="Unggah").click()
    settle(page)
    expect(page.get_by_text("sk-tim-spbe.pdf").first).to_be_visible()
    page.screenshot(path=str(shots / "01-uploaded-on-app1.png"))
    engine = make_engine(cluster.database_url)
    with read_session(engine) as session:
        evidence = session.exec(select(Evidence).where(Evidence.filename == "sk-tim-spbe.pdf")).one()
    engine.dispose()
    listed = s3_client(cluster.s3_endpoint).list_objects_v2(Bucket=BUCKET)
    assert [o["Key"] for o in listed["Contents"]] == [f"evidence/{evidence.sha256[:2]}/{evidence.sha256}"]

    on_server(page.context, cluster, "app2")
    response = page.context.request.get(f"{cluster.proxy}/evidence/{evidence.id}")
    assert response.status == 200 and response.headers["x-spbe-server"] == "app2"
    assert response.body() == MINIMAL_PDF
    assert "attachment" in response.headers["content-disposition"]
    page.context.close()


def test_a_finalization_on_one_server_shows_on_the_others_dashboard_within_one_rerun(browser, cluster, shots):
    from playwright.sync_api import expect

    agency = finalizable_agency(cluster.database_url)
    viewer = new_page(browser)
    on_server(viewer.context, cluster, "app2")
    open_page(viewer, cluster, "/", "app2")
    label = viewer.get_by_test_id("stMetric").filter(has_text="Terverifikasi 2026")
    before = int(label.get_by_test_id("stMetricValue").inner_text().replace(".", ""))

    reviewer = new_page(browser)
    on_server(reviewer.context, cluster, "app1")
    sign_in(reviewer, cluster.proxy, "asesor", PASSWORDS["asesor"], "/verifikasi")
    choose(reviewer, "Pilih penilaian", f"{agency} · 2026 · Evaluasi Kinerja Pemerintah Digital")
    reviewer.get_by_role("button", name="Tetapkan hasil akhir").click()
    settle(reviewer)
    reviewer.get_by_role("button", name="Ya, tetapkan hasil akhir").click()  # the page asks first
    settle(reviewer)
    expect(reviewer.get_by_text(f"Hasil akhir ditetapkan. {agency} · 2026")).to_be_visible()
    reviewer.screenshot(path=str(shots / "01-finalized-on-app1.png"))

    open_page(viewer, cluster, "/", "app2")  # one rerun on app2 (its caches are warm from the first)
    expect(label.get_by_test_id("stMetricValue")).to_have_text(str(before + 1))
    viewer.screenshot(path=str(shots / "02-dashboard-on-app2.png"))
    viewer.context.close()
    reviewer.context.close()


def pick_level(page: Any, code: str, level_label: str) -> None:
    choose(page, "Indikator", f"{code} ·")
    page.get_by_test_id("stRadioGroup").get_by_text(level_label, exact=True).click()
    settle(page)


def test_one_server_killed_mid_session_the_user_carries_on_on_the_other_without_a_lost_edit(
    browser, cluster, shots
):
    from playwright.sync_api import expect

    page = new_page(browser)
    on_server(page.context, cluster, "app1")
    sign_in(page, cluster.proxy, "koordinator", PASSWORDS["koordinator"], "/penilaian")
    pick_level(page, "I02", "3 Berkembang")
    assert stored_level(cluster.database_url, "I02") == 3
    page.screenshot(path=str(shots / "01-edited-on-app1.png"))

    cluster.processes["app1"].kill()  # mid-session: the browser's websocket drops
    cluster.processes["app1"].wait(timeout=10)
    page.wait_for_timeout(1500)  # the page reconnects through the proxy, to app2
    wait_for_app(page)
    pick_level(page, "I02", "4 Melembaga")  # the first edit after the failover
    pick_level(page, "I03", "2 Membangun")
    expect(page.get_by_text("Koneksi", exact=False)).to_have_count(0)
    page.screenshot(path=str(shots / "02-edited-after-failover.png"))
    assert stored_level(cluster.database_url, "I02") == 4
    assert stored_level(cluster.database_url, "I03") == 2
    page.reload()
    wait_for_app(page)
    choose(page, "Indikator", "I02 ·")
    checked = page.get_by_test_id("stRadioGroup").locator("input:checked")
    expect(checked).to_have_count(1)
    assert re.match(
        r"4", page.get_by_test_id("stRadioGroup").locator("label:has(input:checked)").inner_text()
    )
    page.context.close()


def test_the_readiness_route_turns_503_when_the_database_stops(cluster, shots):
    app2 = cluster.apps["app2"]
    assert status_of(f"{app2}/ready") == 200
    assert status_of(f"{app2}/_stcore/health") == 200
    set_database_connections(cluster.database, allowed=False)
    try:
        assert wait_for(f"{app2}/ready", 15, expect=503)
        assert status_of(f"{app2}/_stcore/health") == 200  # liveness only: the process runs
    finally:
        set_database_connections(cluster.database, allowed=True)
    assert wait_for(f"{app2}/ready", 15, expect=200)
