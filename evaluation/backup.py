"""Backup and restore: a consistent snapshot of the database while the app runs, the evidence files, and a
manifest that lets `restore` refuse a damaged or mismatched backup.

A backup folder holds `database.sqlite3` (SQLite's online backup API) or `database.dump` (PostgreSQL
`pg_dump -Fc`, taken inside an exported snapshot so that the manifest's figures describe exactly what was
dumped), `evidence/<aa>/<sha256>` (the content-addressed files), and `manifest.json`: format, backend,
created_at, the schema revision, the audit chain's head and length, the row count of every table and the
sha256 of every file. Evidence files are immutable and written before the database row that names them
commits, so copying them after the snapshot includes every file the snapshot refers to.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from evaluation.services.audit_chain import stored_head, verify
from evaluation.storage import EvidenceStore
from evaluation.translatable import Translatable

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
EVIDENCE = "evidence"


class BackupError(Translatable, RuntimeError):
    """A backup that cannot be made or restored; the message id says why (rendered per reader)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq_url(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _facts(conn: Connection) -> dict[str, Any]:
    """What the manifest records about a database: revision, audit head and count, rows per table."""
    tables = sorted(inspect(conn).get_table_names())
    counts = {
        name: int(conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar() or 0) for name in tables
    }
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return {
        "schema_revision": revision,
        "audit_head": stored_head(conn),
        "audit_entries": counts.get("audit_entry", 0),
        "tables": counts,
    }


def _snapshot_sqlite(engine: Engine, folder: Path) -> dict[str, Any]:
    target = folder / SQLITE_FILE
    source = engine.raw_connection()
    try:
        with sqlite3.connect(target) as copy:
            source.driver_connection.backup(copy)  # type: ignore[union-attr]
    finally:
        source.close()
    copy_engine = _sqlite_engine(target)
    try:
        with copy_engine.connect() as conn:
            return _facts(conn)
    finally:
        copy_engine.dispose()


def _sqlite_engine(path: Path) -> Engine:
    from sqlalchemy import create_engine

    return create_engine(f"sqlite:///{path}")


def _snapshot_postgres(engine: Engine, folder: Path) -> dict[str, Any]:
    with engine.connect() as conn:
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
        facts = _facts(conn)
        command = ["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(folder / PG_FILE)]
        done = subprocess.run([*command, _libpq_url(engine)], capture_output=True, text=True, check=False)
        conn.rollback()
    if done.returncode != 0:
        raise BackupError("ea.pg_dump_failed", detail=done.stderr.strip()[:500])
    return facts


def make_backup(engine: Engine, store: EvidenceStore, folder: Path) -> dict[str, Any]:
    """Write a backup into `folder` (created; must be new or empty) and return its manifest.

    Raises BackupError when the folder holds anything or pg_dump fails."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError("ea.backup_folder_not_empty", folder=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    backend = engine.dialect.name
    facts = _snapshot_sqlite(engine, folder) if backend == "sqlite" else _snapshot_postgres(engine, folder)
    for digest in sorted(store.digests()):  # a folder or a bucket (evaluation/storage.py), streamed
        target = folder / EVIDENCE / digest[:2] / digest
        target.parent.mkdir(parents=True, exist_ok=True)
        with store.open(digest) as source, target.open("wb") as out:  # verified against its name
            shutil.copyfileobj(source, out)
    files = {
        str(path.relative_to(folder)): _sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
    manifest = {
        "format": FORMAT,
        "backend": backend,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **facts,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest


def check_backup(folder: Path, backend: str) -> dict[str, Any]:
    """Read the manifest and check every file against it; returns the manifest.

    Raises BackupError for a missing or unreadable manifest, another backend, an unknown schema revision,
    a missing, changed or unlisted file, or an evidence file whose content is not its name."""
    from alembic.script import ScriptDirectory

    from evaluation.db import alembic_config

    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError("ea.backup_manifest_unreadable", folder=str(folder), detail=str(exc)) from None
    if manifest.get("format") != FORMAT or manifest.get("backend") != backend:
        raise BackupError("ea.backup_backend", found=str(manifest.get("backend")), backend=backend)
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    known = {rev.revision for rev in script.walk_revisions()}
    if manifest.get("schema_revision") not in known:
        raise BackupError("ea.backup_revision", revision=str(manifest.get("schema_revision")))
    listed = manifest.get("files") or {}
    present = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST}
    if present != set(listed):
        odd = sorted(present ^ set(listed))[:5]
        raise BackupError("ea.backup_files_differ", names=odd)
    for name, digest in sorted(listed.items()):
        if _sha256(folder / name) != digest:
            raise BackupError("ea.backup_file_damaged", name=name)
        if name.startswith(EVIDENCE + "/") and Path(name).name != digest:
            raise BackupError("ea.backup_name_mismatch", name=name)
    database = SQLITE_FILE if backend == "sqlite" else PG_FILE
    if database not in listed:
        raise BackupError("ea.backup_database_missing", name=database)
    return dict(manifest)


def _holds_data(engine: Engine) -> bool:
    with engine.connect() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        return any(conn.execute(text(f'SELECT 1 FROM "{t}" LIMIT 1')).first() for t in tables)


def _restore_sqlite(engine: Engine, folder: Path) -> None:
    engine.dispose()
    target = engine.url.database
    if not target or target == ":memory:":
        raise BackupError("ea.backup_sqlite_needs_file")
    with sqlite3.connect(folder / SQLITE_FILE) as source, sqlite3.connect(target) as copy:
        source.backup(copy)


def _restore_postgres(engine: Engine, folder: Path) -> None:
    from sqlalchemy.exc import DBAPIError

    engine.dispose()
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except DBAPIError as exc:
        raise BackupError("ea.backup_owner", detail=str(exc.orig).strip()[:200]) from None
    engine.dispose()
    command = ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"]
    done = subprocess.run(
        [*command, "-d", _libpq_url(engine), str(folder / PG_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError("ea.pg_restore_failed", detail=done.stderr.strip()[:500])


def restore_backup(
    engine: Engine, store: EvidenceStore, folder: Path, *, force: bool = False, grant_role: str | None = None
) -> dict[str, Any]:
    """Check the backup, then replace the database with it and put its evidence files into `store`.

    Run as the database owner; PostgreSQL: `grant_role` names the app's role to grant again (the restored
    tables are new objects). Refuses (BackupError) a damaged
    or mismatched backup, and a database that holds data unless `force`. After restoring, the audit chain
    is verified and must end at the manifest's head."""
    folder = Path(folder)
    manifest = check_backup(folder, engine.dialect.name)
    if not force and _holds_data(engine):
        raise BackupError("ea.backup_target_holds_data")
    for name in manifest["files"]:
        if name.startswith(EVIDENCE + "/"):
            if _sha256(folder / name) != Path(name).name:
                raise BackupError("ea.backup_name_mismatch", name=name)
            store.put_file(folder / name, Path(name).name)
    if engine.dialect.name == "sqlite":
        _restore_sqlite(engine, folder)
    else:
        _restore_postgres(engine, folder)
        if grant_role:
            from evaluation.db_roles import grant_app_role

            grant_app_role(engine, grant_role)
    with engine.connect() as conn:
        report = verify(conn)
        facts = _facts(conn)
    if not report.ok or report.head != manifest["audit_head"] or facts["tables"] != manifest["tables"]:
        raise BackupError("ea.backup_restored_differs")
    os.sync()
    return manifest
