"""Evidence changes claim one indicator's score, not the whole assessment (issue 10): two people changing the
evidence of two indicators both succeed, on one indicator the later is refused with ScoreConflict. On SQLite
and PostgreSQL (the `engine` fixture runs both when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from evaluation.db import write_session
from evaluation.services import evidence
from evaluation.services.score_versions import ScoreConflict
from tests.integration.workflow_fixtures import (
    MINIMAL_PDF,
    World,
    act,
    committed_versions,
    current,
    prepared,
    save,
    set_attached,
)

pytestmark = pytest.mark.db


def link_call(world: World, aid: int, who: str, code: str, version: int, url: str) -> Callable[[], Any]:
    def call() -> Any:
        with write_session(world.engine) as session:
            return evidence.add_link(
                session,
                actor=world.actors[who],
                assessment_id=aid,
                score_version=version,
                indicator_code=code,
                url=url,
            )

    return call


def upload_call(world: World, aid: int, who: str, code: str, version: int, data: bytes) -> Callable[[], Any]:
    def call() -> Any:
        with write_session(world.engine) as session:
            return evidence.upload_evidence(
                session,
                actor=world.actors[who],
                store=world.store,
                assessment_id=aid,
                score_version=version,
                indicator_code=code,
                filename="bukti.pdf",
                data=data,
            )

    return call


def together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at once; each result, or the exception it raised."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        start.wait()
        try:
            results[index] = call()
        except Exception as exc:  # the test inspects it
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return results


def pdf(tag: str) -> bytes:
    return MINIMAL_PDF + f"\n% {tag}\n".encode()


# --- one score claimed -------------------------------------------------------------------------------


def test_attaching_raises_that_scores_version_only_and_leaves_the_assessment_version(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I03": {"level": 2}, "I07": {"level": 2}})
    before, assessment_version = committed_versions(world, aid), current(world, aid)
    act(world, evidence.add_link, "operator", aid, indicator_code="I03", url="https://contoh.go.id/sk")
    after = committed_versions(world, aid)
    assert after["I03"] == before["I03"] + 1
    assert after["I07"] == before["I07"]
    assert current(world, aid) == assessment_version


def test_a_first_attachment_creates_the_score_at_version_one(world):
    aid = prepared(world, "a", "draft")
    assert "I05" not in committed_versions(world, aid)
    act(world, evidence.add_link, "operator", aid, indicator_code="I05", url="https://contoh.go.id/sk")
    assert committed_versions(world, aid)["I05"] == 1


def test_a_colleagues_level_save_on_another_indicator_still_succeeds_after_an_attachment(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I03": {"level": 2}, "I07": {"level": 2}})
    read = committed_versions(world, aid)
    link_call(world, aid, "operator", "I03", read["I03"], "https://contoh.go.id/a")()
    assert save(world, "coordinator", aid, {"I07": {"level": 4}}, versions=read)["I07"] == read["I07"] + 1
    with pytest.raises(ScoreConflict) as refused:
        save(world, "coordinator", aid, {"I03": {"level": 4}}, versions=read)
    assert refused.value.conflicts["I03"].version == read["I03"] + 1


def test_an_attachment_on_a_score_saved_since_it_was_read_is_refused_and_writes_nothing(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I03": {"level": 2}})
    read = committed_versions(world, aid)["I03"]
    save(world, "coordinator", aid, {"I03": {"level": 3}})
    with pytest.raises(ScoreConflict) as refused:
        upload_call(world, aid, "operator", "I03", read, pdf("late"))()
    assert refused.value.conflicts["I03"].values["self_level"] == 3
    assert [p for p in world.store.root.rglob("*") if p.is_file()] == []


def test_detaching_raises_the_version_and_detaching_nothing_keeps_it(world):
    aid = prepared(world, "a", "draft")
    evidence_id = act(world, evidence.add_link, "operator", aid, indicator_code="I02", url="https://x.go.id/")
    version = committed_versions(world, aid)["I02"]
    set_attached(world, "operator", aid, "I02", evidence_id, False)
    assert committed_versions(world, aid)["I02"] == version + 1
    set_attached(world, "operator", aid, "I02", evidence_id, False)
    assert committed_versions(world, aid)["I02"] == version + 1
    set_attached(world, "operator", aid, "I09", evidence_id, False)
    assert "I09" not in committed_versions(world, aid)  # no score row made for nothing


# --- two writers at once -----------------------------------------------------------------------------


def test_two_people_attaching_to_different_indicators_at_once_both_succeed(world):
    aid = prepared(world, "a", "draft")
    save(world, "operator", aid, {"I03": {"level": 2}})
    read = committed_versions(world, aid)
    results = together(
        upload_call(world, aid, "operator", "I03", read["I03"], pdf("I03")),
        link_call(world, aid, "coordinator", "I07", read.get("I07", 0), "https://contoh.go.id/i07"),
    )
    assert all(isinstance(result, int) and result > 0 for result in results), results
    after = committed_versions(world, aid)
    assert (after["I03"], after["I07"]) == (read["I03"] + 1, 1)


@pytest.mark.parametrize("scored", [True, False], ids=["score-row", "no-score-yet"])
def test_two_people_attaching_to_one_indicator_at_once_exactly_one_succeeds(world, scored):
    aid = prepared(world, "a", "draft")
    if scored:
        save(world, "operator", aid, {"I03": {"level": 2}})
    read = committed_versions(world, aid).get("I03", 0)
    results = together(
        upload_call(world, aid, "operator", "I03", read, pdf("operator")),
        upload_call(world, aid, "coordinator", "I03", read, pdf("coordinator")),
    )
    won = [r for r in results if isinstance(r, int)]
    lost = [r for r in results if isinstance(r, ScoreConflict)]
    assert (len(won), len(lost)) == (1, 1), results
    assert committed_versions(world, aid)["I03"] == read + 1
    files = [p for p in world.store.root.rglob("*") if p.is_file()]
    assert len(files) == 1  # the refused upload's file was not kept


def test_an_attachment_that_waited_for_an_open_one_on_another_indicator_then_succeeds(world):
    """The second writer queues (SQLite: one write transaction at a time; PostgreSQL: the audit chain's
    lock) and, once the first commits, is not refused: it claimed another score."""
    aid = prepared(world, "a", "draft")
    holding, release = threading.Event(), threading.Event()
    second: list[Any] = []

    def first() -> None:
        with write_session(world.engine) as session:
            evidence.add_link(
                session,
                actor=world.actors["operator"],
                assessment_id=aid,
                score_version=0,
                indicator_code="I03",
                url="https://contoh.go.id/pertama",
            )
            holding.set()
            release.wait(30)

    def later() -> None:
        try:
            second.append(link_call(world, aid, "coordinator", "I07", 0, "https://contoh.go.id/kedua")())
        except Exception as exc:  # the test inspects it
            second.append(exc)

    opener = threading.Thread(target=first)
    opener.start()
    assert holding.wait(30)
    waiter = threading.Thread(target=later)
    waiter.start()
    waiter.join(timeout=0.5)
    release.set()
    opener.join(timeout=30)
    waiter.join(timeout=30)
    assert len(second) == 1 and isinstance(second[0], int), second
    assert committed_versions(world, aid) == {"I03": 1, "I07": 1}
