"""Delegation inside an agency (issue 13): units, assignments to a unit or a person, who may edit which
indicator (form save, evidence), ready / sent back, progress, and migration 0010; SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import AuditEntry, IndicatorAssignment, User
from evaluation.services.actors import PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.auth import actor_of
from evaluation.services.delegation import assign, create_unit, set_operators_edit_all, set_user_unit
from evaluation.services.delegation_flow import mark_ready, progress, send_back
from evaluation.services.evidence import add_link
from evaluation.services.self_assessment import open_assessment
from evaluation.services.users import create_user
from tests.integration.workflow_fixtures import PASSWORD, World, committed_snapshot, committed_versions, save


def _team(world: World) -> dict[str, object]:
    """Agency a's assessment of 2026 with a unit "Dinas Kominfo" holding `operator`, a second operator
    outside any unit, and I01, I02 assigned to the unit, I03 to the second operator."""
    coordinator = world.actors["coordinator"]
    with write_session(world.engine) as session:
        assessment_id = open_assessment(
            session, actor=coordinator, agency_id=world.agency["a"], period_id=world.pemdi
        )
        unit_id = create_unit(session, actor=coordinator, agency_id=world.agency["a"], name="Dinas Kominfo")
        set_user_unit(session, actor=coordinator, user_id=world.users["operator"], unit_id=unit_id)
        other = create_user(
            session,
            actor=world.actors["admin"],
            username="operator-dua",
            full_name="Operator Dua",
            password=PASSWORD,
            role="operator",
            agency_code="KOTA-901",
        )
        assign(session, actor=coordinator, assessment_id=assessment_id, codes=["I01", "I02"], unit_id=unit_id)
        assign(session, actor=coordinator, assessment_id=assessment_id, codes=["I03"], user_id=other.id)
        other_actor = actor_of(other)
    return {"assessment": assessment_id, "unit": unit_id, "other": other_actor}


def _entry(level: float = 3) -> dict[str, object]:
    return {"level": level, "justification": "Bukti"}


def test_before_any_assignment_every_operator_edits_every_indicator(world):
    with write_session(world.engine) as session:
        assessment_id = open_assessment(
            session, actor=world.actors["operator"], agency_id=world.agency["a"], period_id=world.pemdi
        )
    assert set(save(world, "operator", assessment_id, {"I05": _entry(), "I09": _entry()})) == {"I05", "I09"}


def test_an_operator_edits_the_indicators_of_their_unit(world):
    team = _team(world)
    assert set(save(world, "operator", team["assessment"], {"I01": _entry(), "I02": _entry(4)})) == {
        "I01",
        "I02",
    }


def test_an_operator_may_not_edit_an_indicator_of_no_unit_of_theirs_and_nothing_is_written(world):
    team = _team(world)
    before = committed_snapshot(world.engine)
    with pytest.raises(PermissionDenied, match="I03"):
        save(world, "operator", team["assessment"], {"I01": _entry(), "I03": _entry()})
    assert committed_snapshot(world.engine) == before


def test_an_operator_outside_the_unit_may_not_edit_its_indicators_but_edits_their_own(world):
    team = _team(world)
    world.actors["other"] = team["other"]
    with pytest.raises(PermissionDenied, match="I01"):
        save(world, "other", team["assessment"], {"I01": _entry()})
    assert set(save(world, "other", team["assessment"], {"I03": _entry()})) == {"I03"}


def test_the_coordinator_edits_every_indicator_and_can_grant_all_to_operators(world):
    team = _team(world)
    assert set(save(world, "coordinator", team["assessment"], {"I10": _entry()})) == {"I10"}
    with write_session(world.engine) as session:
        set_operators_edit_all(
            session, actor=world.actors["coordinator"], assessment_id=team["assessment"], value=True
        )
    assert set(save(world, "operator", team["assessment"], {"I10": _entry(2)})) == {"I10"}


def test_another_agency_cannot_edit_or_delegate(world):
    team = _team(world)
    with pytest.raises(PermissionDenied):
        save(world, "operator_b", team["assessment"], {"I01": _entry()})
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        assign(
            session,
            actor=world.actors["coordinator_b"],
            assessment_id=team["assessment"],
            codes=["I04"],
            unit_id=team["unit"],
        )


@pytest.mark.parametrize("who", ["operator", "reviewer", "admin", "coordinator_b"])
def test_only_the_agency_coordinator_assigns(world, who):
    team = _team(world)
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        assign(
            session,
            actor=world.actors[who],
            assessment_id=team["assessment"],
            codes=["I04"],
            unit_id=team["unit"],
        )


def test_a_unit_of_another_agency_cannot_be_assigned(world):
    team = _team(world)
    with write_session(world.engine) as session:
        unit_b = create_unit(
            session, actor=world.actors["coordinator_b"], agency_id=world.agency["b"], name="TI"
        )
    with pytest.raises(WorkflowError), write_session(world.engine) as session:
        assign(
            session,
            actor=world.actors["coordinator"],
            assessment_id=team["assessment"],
            codes=["I04"],
            unit_id=unit_b,
        )


@pytest.mark.parametrize("who", ["operator", "operator_b", "coordinator_b", "reviewer"])
def test_only_the_coordinator_or_an_admin_creates_units(world, who):
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        create_unit(session, actor=world.actors[who], agency_id=world.agency["a"], name="Bagian Umum")


def test_evidence_can_be_attached_only_to_an_indicator_of_ones_own(world):
    team = _team(world)
    with pytest.raises(PermissionDenied), write_session(world.engine) as session:
        add_link(
            session,
            actor=world.actors["operator"],
            assessment_id=team["assessment"],
            score_version=committed_versions(world, team["assessment"]).get("I03", 0),
            indicator_code="I03",
            url="https://example.org/sop.pdf",
            title="SOP",
        )
    with write_session(world.engine) as session:
        add_link(
            session,
            actor=world.actors["operator"],
            assessment_id=team["assessment"],
            score_version=committed_versions(world, team["assessment"]).get("I01", 0),
            indicator_code="I01",
            url="https://example.org/sop.pdf",
            title="SOP",
        )


def test_a_unit_marks_ready_the_coordinator_sends_back_with_a_note_and_progress_counts_it(world):
    team = _team(world)
    save(world, "operator", team["assessment"], {"I01": _entry(), "I02": _entry()})
    with write_session(world.engine) as session:
        mark_ready(
            session, actor=world.actors["operator"], assessment_id=team["assessment"], codes=["I01", "I02"]
        )
        with pytest.raises(PermissionDenied):
            mark_ready(
                session, actor=world.actors["operator"], assessment_id=team["assessment"], codes=["I03"]
            )
        with pytest.raises(PermissionDenied):
            send_back(
                session,
                actor=world.actors["operator"],
                assessment_id=team["assessment"],
                code="I01",
                note="x",
            )
        send_back(
            session,
            actor=world.actors["coordinator"],
            assessment_id=team["assessment"],
            code="I02",
            note="Lengkapi SK",
        )
    with read_session(world.engine) as session:
        rows = {
            (p.kind, p.name): p
            for p in progress(session, actor=world.actors["coordinator"], assessment_id=team["assessment"])
        }
        with pytest.raises(PermissionDenied):
            progress(session, actor=world.actors["operator_b"], assessment_id=team["assessment"])
        row = session.exec(
            select(IndicatorAssignment).where(IndicatorAssignment.indicator_code == "I02")
        ).one()
        actions = [a.action for a in session.exec(select(AuditEntry))]
    unit = rows[("unit", "Dinas Kominfo")]
    assert (unit.assigned, unit.filled, unit.with_evidence, unit.ready, unit.returned) == (2, 2, 0, 1, 1)
    assert (rows[("person", "Operator Dua")].assigned, rows[("person", "Operator Dua")].filled) == (1, 0)
    assert (row.status, row.note) == ("returned", "Lengkapi SK")
    assert {"create_unit", "set_unit", "assign", "assignment_ready", "assignment_returned"} <= set(actions)


def test_a_user_cannot_be_placed_in_a_unit_of_another_agency(world):
    with write_session(world.engine) as session:
        unit_b = create_unit(session, actor=world.actors["admin"], agency_id=world.agency["b"], name="TI")
    with pytest.raises(WorkflowError), write_session(world.engine) as session:
        set_user_unit(session, actor=world.actors["admin"], user_id=world.users["operator"], unit_id=unit_b)
    with read_session(world.engine) as session:
        assert session.get(User, world.users["operator"]).unit_id is None  # type: ignore[union-attr]


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command

    from evaluation.db import alembic_config

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        getattr(command, direction)(cfg, revision)


def test_migration_0010_adds_units_assignments_and_threads_and_its_downgrade_removes_them(db_url):
    from evaluation.db import make_engine

    engine = make_engine(db_url)
    new_tables = {"unit", "indicator_assignment", "thread_message", "thread_read"}
    try:
        _migrate(engine, "upgrade", "0010")
        assert new_tables <= set(inspect(engine).get_table_names())
        assert "unit_id" in {c["name"] for c in inspect(engine).get_columns("user_account")}
        assert {"progress", "started_on", "finished_on"} <= {
            c["name"] for c in inspect(engine).get_columns("activity")
        }
        _migrate(engine, "downgrade", "0009")
        assert not new_tables & set(inspect(engine).get_table_names())
        assert "operators_edit_all" not in {c["name"] for c in inspect(engine).get_columns("assessment")}
        assert "progress" not in {c["name"] for c in inspect(engine).get_columns("activity")}
        _migrate(engine, "upgrade", "0010")
        assert "operators_edit_all" in {c["name"] for c in inspect(engine).get_columns("assessment")}
    finally:
        engine.dispose()


def test_holdings_and_members_are_read_by_the_agency_and_the_ministry_only(world):
    from evaluation.services.delegation_flow import holdings, members

    team = _team(world)
    with read_session(world.engine) as session:
        held = holdings(session, actor=world.actors["reviewer"], assessment_id=team["assessment"])
        assert {code: h.holder for code, h in held.items()} == {
            "I01": "Dinas Kominfo",
            "I02": "Dinas Kominfo",
            "I03": "Operator Dua",
        }
        names = [
            name
            for _id, name, _unit in members(
                session, actor=world.actors["operator"], agency_id=world.agency["a"]
            )
        ]
        assert "Operator Dua" in names
        with pytest.raises(PermissionDenied):
            holdings(session, actor=world.actors["operator_b"], assessment_id=team["assessment"])
        with pytest.raises(PermissionDenied):
            members(session, actor=world.actors["coordinator_b"], agency_id=world.agency["a"])
