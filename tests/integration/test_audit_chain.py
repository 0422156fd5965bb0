"""The audit log is tamper-evident: a hash chain that `audit verify` walks, an SQLite trigger against
INSERT OR REPLACE, and on PostgreSQL an app role that can only SELECT and INSERT on it (issue 11)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from evaluation.__main__ import main
from evaluation.db import alembic_config, make_engine, normalise_url, write_session
from evaluation.db_roles import app_role_rights, grant_app_role
from evaluation.services import audit
from evaluation.services.actors import SYSTEM
from evaluation.services.audit_chain import GENESIS, verify
from tests.conftest import PG_URL

pytestmark = pytest.mark.db


def write_entries(engine: Engine, n: int, *, per_transaction: int = 1) -> None:
    for start in range(0, n, per_transaction):
        with write_session(engine) as session:
            change_set = audit.new_change_set()
            for i in range(start, min(n, start + per_transaction)):
                audit.record(
                    session,
                    actor=SYSTEM,
                    change_set=change_set,
                    action="test",
                    entity="thing",
                    entity_id=i,
                    field="value",
                    old=i,
                    new={"n": i + 1, "text": "nilai ü"},
                )


def ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT id FROM audit_entry ORDER BY id")).scalars())


def report(engine: Engine):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return verify(conn)


@pytest.fixture
def owner(engine: Engine) -> Iterator[Engine]:
    """The same database as the table's owner, with the append-only guards lifted: someone with file
    access (SQLite) or the owner's password (PostgreSQL) working behind the app's back."""
    if engine.dialect.name == "sqlite":
        eng = make_engine(engine.url.render_as_string(hide_password=False))
        with eng.begin() as conn:
            for name in ("audit_entry_no_update", "audit_entry_no_delete", "audit_entry_no_replace"):
                conn.execute(text(f"DROP TRIGGER {name}"))
    else:
        assert PG_URL
        url = make_url(normalise_url(PG_URL)).set(database=engine.url.database)
        eng = make_engine(url.render_as_string(hide_password=False))
        with eng.begin() as conn:
            conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
    yield eng
    eng.dispose()


# --- the chain -------------------------------------------------------------------------------------


def test_entries_written_through_the_services_form_an_unbroken_chain(engine):
    before = report(engine).count
    write_entries(engine, 5)
    write_entries(engine, 6, per_transaction=3)
    result = report(engine)
    assert result.ok and result.count == before + 11
    with engine.connect() as conn:
        head = conn.execute(text("SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1")).scalar()
    assert result.head == head and head != GENESIS


def test_a_bulk_insert_prepared_by_chain_rows_continues_the_chain(engine):
    from evaluation.models import AuditEntry, utcnow

    write_entries(engine, 2)
    before = report(engine).count
    with write_session(engine) as session:
        audit.record(session, actor=SYSTEM, change_set="b", action="before", entity="e", entity_id=0)
        now = utcnow()
        rows = [
            {"at": now, "user_id": None, "actor": "x", "change_set": "b", "action": "import", "entity": "e",
             "entity_id": str(i), "field": "f", "old_value": None, "new_value": str(i)}
            for i in range(5)
        ]  # fmt: skip
        session.connection().execute(AuditEntry.__table__.insert(), audit.chain_rows(session, rows))
        audit.record(session, actor=SYSTEM, change_set="b", action="after", entity="e", entity_id=9)
    result = report(engine)
    assert result.ok and result.count == before + 7


def test_a_rolled_back_transaction_leaves_the_chain_whole_for_the_next_writer(engine):
    write_entries(engine, 2)
    with pytest.raises(RuntimeError), write_session(engine) as session:
        audit.record(session, actor=SYSTEM, change_set="x", action="a", entity="e", entity_id=1)
        raise RuntimeError("the request failed")
    write_entries(engine, 2)
    assert report(engine).ok


def test_concurrent_writers_are_serialised_into_one_chain(engine):
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            write_entries(engine, 8)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = report(engine)
    assert result.ok and result.count >= 32


def test_verify_names_an_entry_edited_behind_the_apps_back(engine, owner):
    write_entries(engine, 5)
    target = ids(engine)[-3]
    with owner.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET new_value = 'forged' WHERE id = :id"), {"id": target})
    result = report(engine)
    assert (
        result.broken_id == target and result.reason is not None and "changed" in result.reason.render("en")
    )


def test_verify_names_the_entry_after_one_deleted(engine, owner):
    write_entries(engine, 5)
    *_, victim, after, _last = ids(engine)
    with owner.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": victim})
    result = report(engine)
    assert result.broken_id == after and result.reason is not None and "putus" in result.reason.render("id")


def test_verify_names_entries_swapped_in_order(engine, owner):
    write_entries(engine, 5)
    first, second = ids(engine)[-4:-2]
    with owner.begin() as conn:
        swap = "UPDATE audit_entry SET id = :to WHERE id = :fr"
        conn.execute(text(swap), {"fr": first, "to": -1})
        conn.execute(text(swap), {"fr": second, "to": first})
        conn.execute(text(swap), {"fr": -1, "to": second})
    assert report(engine).broken_id == first


def test_verify_names_an_entry_replaced_in_place(engine, owner):
    write_entries(engine, 4)
    target = ids(engine)[-2]
    with owner.begin() as conn:
        found = conn.execute(text("SELECT * FROM audit_entry WHERE id = :id"), {"id": target})
        row = dict(found.mappings().one())
        row["old_value"] = "rewritten"
        conn.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": target})
        columns = ", ".join(row)
        values = ", ".join(":" + c for c in row)
        conn.execute(text(f"INSERT INTO audit_entry ({columns}) VALUES ({values})"), row)
    assert report(engine).broken_id == target


def test_sqlite_refuses_insert_or_replace_on_the_audit_log(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("INSERT OR REPLACE is SQLite's")
    write_entries(engine, 2)
    target = ids(engine)[-1]
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT OR REPLACE INTO audit_entry (id, at, actor, change_set, action, entity, entity_id, "
                "prev_hash, entry_hash) VALUES (:id, '2026-01-01 00:00:00.000000', 'x', 'x', 'x', 'x', 'x', "
                "'0', '0')"
            ),
            {"id": target},
        )
    assert report(engine).ok


def test_insert_or_replace_past_a_dropped_trigger_is_named_by_verify(engine, owner):
    if engine.dialect.name != "sqlite":
        pytest.skip("INSERT OR REPLACE is SQLite's")
    write_entries(engine, 3)
    target = ids(engine)[-2]
    with owner.begin() as conn:
        conn.execute(
            text(
                "INSERT OR REPLACE INTO audit_entry (id, at, actor, change_set, action, entity, entity_id, "
                "prev_hash, entry_hash) SELECT id, at, actor, change_set, 'forged', entity, entity_id, "
                "prev_hash, entry_hash FROM audit_entry WHERE id = :id"
            ),
            {"id": target},
        )
    assert report(engine).broken_id == target


def test_the_cli_prints_ok_with_count_and_head_or_names_the_broken_entry(engine, owner, monkeypatch, capsys):
    write_entries(engine, 3)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK:") and "entri, kepala" in out and report(engine).head in out
    target = ids(engine)[-2]
    with owner.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET actor = 'someone' WHERE id = :id"), {"id": target})
    assert main(["audit", "verify"]) == 1
    assert f"id={target}" in capsys.readouterr().err
    assert main(["audit", "verify", "--lang", "en"]) == 1
    assert capsys.readouterr().err.startswith(f"BROKEN: entry id={target} ")


def test_the_migration_chains_the_entries_written_before_it(db_url):
    from alembic import command

    engine = make_engine(db_url)
    try:
        cfg = alembic_config(db_url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0006")
        with engine.begin() as conn:
            for i in range(4):
                conn.execute(
                    text(
                        "INSERT INTO audit_entry (at, actor, change_set, action, entity, entity_id, "
                        "new_value) VALUES (:at, 'old', 'cs', 'legacy', 'thing', :i, :v)"
                    ),
                    {"at": f"2025-0{i + 1}-02 03:04:05.000006", "i": str(i), "v": f"nilai {i}"},
                )
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        result = report(engine)
        assert result.ok and result.count == 4
        write_entries(engine, 2)
        assert report(engine).ok and report(engine).count == 6
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0006")
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_entry"))
    finally:
        engine.dispose()


# --- PostgreSQL: the app's role ----------------------------------------------------------------------


@pytest.fixture
def app_role_engine(engine: Engine) -> Iterator[Engine]:
    """The test database reached as a freshly granted app role (never its owner)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    assert PG_URL
    owner_url = make_url(normalise_url(PG_URL)).set(database=engine.url.database)
    owner_engine = make_engine(owner_url.render_as_string(hide_password=False))
    role = f"app_{uuid.uuid4().hex[:8]}"
    grant_app_role(owner_engine, role, create=True)
    app = make_engine(owner_url.set(username=role, password=None).render_as_string(hide_password=False))
    yield app
    app.dispose()
    with owner_engine.begin() as conn:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))
    owner_engine.dispose()


def test_the_app_role_holds_only_select_and_insert_on_the_audit_log(app_role_engine):
    assert app_role_rights(app_role_engine, "audit_entry") == {"SELECT", "INSERT"}
    assert app_role_rights(app_role_engine, "alembic_version") == {"SELECT"}
    assert {"SELECT", "INSERT", "UPDATE", "DELETE"} <= app_role_rights(app_role_engine, "indicator_score")


def test_the_app_role_writes_the_chain_through_the_services(app_role_engine):
    write_entries(app_role_engine, 3)
    assert report(app_role_engine).ok


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_entry",
        "DELETE FROM audit_entry",
        "UPDATE audit_entry SET actor = 'x'",
        "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only",
        "ALTER TABLE audit_entry DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_entry_append_only ON audit_entry",
        "DROP TABLE audit_entry",
    ],
)
def test_the_app_role_cannot_bypass_the_audit_log(app_role_engine, statement):
    write_entries(app_role_engine, 2)
    before = report(app_role_engine)
    with pytest.raises(DBAPIError, match=r"permission denied|must be owner"), app_role_engine.begin() as conn:
        conn.execute(text(statement))
    after = report(app_role_engine)
    assert after.ok and (after.count, after.head) == (before.count, before.head)
