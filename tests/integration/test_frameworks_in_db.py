"""Framework versions in the database: the shipped ones registered once, more added by an admin only."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import AuditEntry, FrameworkVersion
from evaluation.services.actors import SYSTEM, Actor, PermissionDenied
from evaluation.services.audit import history
from evaluation.services.frameworks import (
    add_framework,
    latest_version,
    list_framework_versions,
    load_framework_version,
    sync_shipped_frameworks,
)
from indicators.loader import SHIPPED_DIR, FrameworkError, shipped_frameworks

pytestmark = pytest.mark.db

SHIPPED = {"spbe-2020": ("2020.1", 47), "pemdi-2026": ("2026.1", 20), "vision-to-evaluation": ("2.0", 22)}
VISION_TEXT = (SHIPPED_DIR / "vision-to-evaluation.yaml").read_text(encoding="utf-8")
COPY_TEXT = VISION_TEXT.replace("id: vision-to-evaluation", "id: vision-copy", 1)
ADMIN = Actor(user_id=None, username="admin-kemenpan", role="admin")


def framework_rows(engine) -> int:
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(FrameworkVersion)).one()


def add(engine, text: str, actor: Actor = ADMIN) -> FrameworkVersion:
    with write_session(engine) as session:
        row = add_framework(session, actor=actor, text=text, source_name="upload.yaml")
        session.expunge(row)
        return row


# --- the shipped frameworks ------------------------------------------------------------------------


def test_the_three_shipped_frameworks_are_registered_once_each(engine):
    with read_session(engine) as session:
        ids = [row.framework_id for row in list_framework_versions(session)]
    assert sorted(ids) == sorted(SHIPPED)


def test_syncing_the_shipped_frameworks_again_adds_no_row(engine):
    with write_session(engine) as session:
        sync_shipped_frameworks(session, actor=SYSTEM)
    with write_session(engine) as session:
        sync_shipped_frameworks(session, actor=SYSTEM)
    assert framework_rows(engine) == 3


def test_listed_versions_give_each_framework_its_version_and_indicator_count(engine):
    with read_session(engine) as session:
        listed = {
            row.framework_id: (row.version, row.indicator_count) for row in list_framework_versions(session)
        }
    assert listed == SHIPPED


def test_listed_shipped_versions_are_marked_shipped(engine):
    with read_session(engine) as session:
        assert all(row.shipped for row in list_framework_versions(session))


def test_only_an_admin_may_sync_the_shipped_frameworks(engine):
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        sync_shipped_frameworks(session, actor=Actor(user_id=None, username="rev", role="reviewer"))


@pytest.mark.parametrize("framework_id", sorted(SHIPPED))
def test_a_stored_version_loads_as_the_shipped_framework(engine, framework_id):
    with read_session(engine) as session:
        version = latest_version(session, framework_id)
        assert version is not None and version.id is not None
        framework = load_framework_version(session, version.id)
    assert framework.content_hash == shipped_frameworks()[framework_id].content_hash
    assert [i.code for i in framework.indicators] == [
        i.code for i in shipped_frameworks()[framework_id].indicators
    ]


def test_loading_a_version_that_does_not_exist_raises_lookup_error(engine):
    with read_session(engine) as session, pytest.raises(LookupError, match="9999"):
        load_framework_version(session, 9999)


# --- adding a framework ----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [SYSTEM, ADMIN], ids=["system", "admin"])
def test_an_admin_adds_a_framework_that_is_then_listed(engine, actor):
    row = add(engine, COPY_TEXT, actor)
    assert (row.framework_id, row.version, row.indicator_count, row.shipped) == (
        "vision-copy",
        "2.0",
        22,
        False,
    )
    with read_session(engine) as session:
        assert "vision-copy" in {r.framework_id for r in list_framework_versions(session)}


def test_an_added_framework_keeps_its_file_text(engine):
    row = add(engine, COPY_TEXT)
    with read_session(engine) as session:
        stored = session.get(FrameworkVersion, row.id)
        assert stored is not None and stored.content == COPY_TEXT


def test_adding_the_same_text_again_returns_the_stored_version(engine):
    first = add(engine, COPY_TEXT)
    second = add(engine, COPY_TEXT)
    assert second.id == first.id
    assert framework_rows(engine) == 4


def test_the_same_id_and_version_with_other_content_is_refused_naming_the_version(engine):
    add(engine, COPY_TEXT)
    changed = COPY_TEXT.replace('name: "Dari Visi ke Evaluasi"', 'name: "Dari Visi ke Evaluasi (ubah)"', 1)
    assert changed != COPY_TEXT
    with pytest.raises(FrameworkError, match="version"):
        add(engine, changed)
    assert framework_rows(engine) == 4


def test_a_shipped_framework_changed_without_a_new_version_is_refused(engine):
    changed = VISION_TEXT.replace('name: "Dari Visi ke Evaluasi"', 'name: "Visi Baru"', 1)
    with pytest.raises(FrameworkError, match="version"):
        add(engine, changed)


@pytest.mark.parametrize("role", ["reviewer", "operator", "coordinator"])
def test_a_non_admin_may_not_add_a_framework(engine, role):
    with pytest.raises(PermissionDenied, match=role):
        add(engine, COPY_TEXT, Actor(user_id=None, username=role, role=role, agency_id=None))
    assert framework_rows(engine) == 3


@pytest.mark.parametrize(
    "broken",
    [
        "id: [unclosed",
        "- just\n- a list\n",
        COPY_TEXT.replace("total_weight: 100", "total_weight: 90", 1),
    ],
    ids=["bad-yaml", "not-a-mapping", "weights-do-not-sum"],
)
def test_a_broken_file_is_refused_and_leaves_the_table_unchanged(engine, broken):
    with pytest.raises(FrameworkError):
        add(engine, broken)
    assert framework_rows(engine) == 3


def test_adding_a_framework_writes_an_audit_entry_naming_the_actor(engine):
    row = add(engine, COPY_TEXT)
    with read_session(engine) as session:
        entries = history(session, entity="framework_version", entity_id=row.id)
    assert [(e.action, e.actor) for e in entries] == [("add_framework", "admin-kemenpan")]


def test_adding_the_same_text_again_writes_no_second_audit_entry(engine):
    add(engine, COPY_TEXT)
    add(engine, COPY_TEXT)
    with read_session(engine) as session:
        actions = session.exec(select(AuditEntry.action).where(AuditEntry.action == "add_framework")).all()
    assert len(actions) == 1
