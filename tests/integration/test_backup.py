"""Backup and restore round-trip a demo database with evidence files on both databases, and refuse damaged or
mismatched backups (issue 11)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import Engine, make_url

from evaluation.__main__ import main
from evaluation.backup import BackupError, check_backup, make_backup, restore_backup
from evaluation.db import make_engine, normalise_url, write_session
from evaluation.services import audit
from evaluation.services.actors import SYSTEM
from evaluation.storage import LocalEvidenceStore
from tests.conftest import APP_ROLE, PG_URL, fresh_database_url
from tests.integration.workflow_fixtures import MINIMAL_PDF

pytestmark = pytest.mark.db


def every_row(engine: Engine) -> dict[str, list[tuple]]:
    """Every table's rows in primary-key order."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
            for name, table in sorted(meta.tables.items())
        }


def files_of(store: LocalEvidenceStore) -> dict[str, bytes]:
    return {str(p.relative_to(store.root)): p.read_bytes() for p in store.root.rglob("*") if p.is_file()}


@pytest.fixture
def source(demo_engine: Engine, tmp_path: Path) -> tuple[Engine, LocalEvidenceStore]:
    """The demo database (module copy) and a store with a few evidence files."""
    store = LocalEvidenceStore(tmp_path / "evidence")
    for data in (MINIMAL_PDF, b"\x89PNG\r\n\x1a\n" + bytes(range(64)), b"%PDF-1.7 lain"):
        store.put(data)
    with write_session(demo_engine) as session:
        audit.record(
            session, actor=SYSTEM, change_set=audit.new_change_set(), action="t", entity="e", entity_id=1
        )
    return demo_engine, store


@pytest.fixture
def target(demo_engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """An empty database on the same backend as the source, reached as its owner."""
    backend = demo_engine.dialect.name
    url, drop = fresh_database_url(backend, tmp_path / "target")
    if backend == "sqlite":
        (tmp_path / "target").mkdir()
    eng = make_engine(url)
    yield eng
    eng.dispose()
    drop()


def test_a_restored_backup_holds_every_row_and_every_evidence_file(source, target, tmp_path):
    engine, store = source
    manifest = make_backup(engine, store, tmp_path / "backup")
    assert manifest["audit_entries"] > 0 and len(manifest["audit_head"]) == 64
    assert sum(1 for name in manifest["files"] if name.startswith("evidence/")) == 3
    restored_store = LocalEvidenceStore(tmp_path / "restored-evidence")
    restore_backup(target, restored_store, tmp_path / "backup")
    assert every_row(target) == every_row(engine)
    assert files_of(restored_store) == files_of(store)


def test_a_backup_taken_while_the_app_writes_is_consistent(source, target, tmp_path):
    engine, store = source
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            with write_session(engine) as session:
                audit.record(session, actor=SYSTEM, change_set="c", action="busy", entity="e", entity_id=2)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        manifest = make_backup(engine, store, tmp_path / "backup")
    finally:
        stop.set()
        thread.join()
    restore_backup(target, LocalEvidenceStore(tmp_path / "r"), tmp_path / "backup")  # checks chain + counts
    with target.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM audit_entry")).scalar() == manifest["audit_entries"]


@pytest.mark.parametrize("damaged", ["database", "evidence", "extra", "missing", "manifest"])
def test_a_damaged_backup_is_refused_and_the_target_is_left_alone(source, target, tmp_path, damaged):
    engine, store = source
    manifest = make_backup(engine, store, tmp_path / "backup")
    folder = tmp_path / "backup"
    database = next(name for name in manifest["files"] if name.startswith("database"))
    evidence = next(name for name in manifest["files"] if name.startswith("evidence/"))
    if damaged == "database":
        data = bytearray((folder / database).read_bytes())
        data[len(data) // 2] ^= 0xFF
        (folder / database).write_bytes(bytes(data))
    elif damaged == "evidence":
        (folder / evidence).write_bytes(b"changed")
    elif damaged == "extra":
        (folder / "evidence" / "zz").mkdir()
        (folder / "evidence" / "zz" / ("0" * 64)).write_bytes(b"planted")
    elif damaged == "missing":
        (folder / evidence).unlink()
    else:
        (folder / "manifest.json").write_text("{not json")
    before = every_row(target)
    with pytest.raises(BackupError):
        restore_backup(target, LocalEvidenceStore(tmp_path / "r"), folder)
    assert every_row(target) == before


def test_a_backup_of_the_other_database_or_an_unknown_schema_is_refused(source, tmp_path):
    engine, store = source
    make_backup(engine, store, tmp_path / "backup")
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    other = "postgresql" if engine.dialect.name == "sqlite" else "sqlite"
    with pytest.raises(BackupError, match="not"):
        check_backup(tmp_path / "backup", other)
    manifest["schema_revision"] = "9999"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="Unknown schema revision"):
        check_backup(tmp_path / "backup", engine.dialect.name)


def owner_of(engine: Engine) -> Engine:
    """The same database reached as its owner (the app may run as a restricted role: tests/conftest.py)."""
    if engine.dialect.name == "sqlite":
        return make_engine(engine.url.render_as_string(hide_password=False))
    assert PG_URL
    url = make_url(normalise_url(PG_URL)).set(database=engine.url.database)
    return make_engine(url.render_as_string(hide_password=False))


def test_a_database_holding_data_is_replaced_only_with_force(source, tmp_path):
    engine, store = source
    make_backup(engine, store, tmp_path / "backup")
    with write_session(engine) as session:
        audit.record(session, actor=SYSTEM, change_set="late", action="late", entity="e", entity_id=3)
    owner = owner_of(engine)
    try:
        with pytest.raises(BackupError, match="force"):
            restore_backup(owner, store, tmp_path / "backup")
        restore_backup(owner, store, tmp_path / "backup", force=True, grant_role=APP_ROLE)
        with owner.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM audit_entry WHERE action = 'late'")).scalar() == 0
    finally:
        owner.dispose()


def test_a_backup_refuses_a_folder_that_is_not_empty(source, tmp_path):
    engine, store = source
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "x").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        make_backup(engine, store, tmp_path / "backup")


def test_the_cli_backs_up_and_restores(source, target, tmp_path, monkeypatch, capsys):
    engine, store = source
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", str(store.root))
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert main(["backup", str(tmp_path / "cli-backup")]) == 0
    assert capsys.readouterr().out.startswith("Cadangan dibuat: ")
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", str(tmp_path / "cli-restored"))
    url = target.url
    if target.dialect.name == "postgresql":
        assert PG_URL
        url = make_url(normalise_url(PG_URL)).set(database=target.url.database)
    monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
    assert main(["--lang", "en", "restore", str(tmp_path / "cli-backup")]) == 0
    assert capsys.readouterr().out.startswith("Restored from ")
    assert every_row(target) == every_row(engine)
