"""Operator commands of issue 11: `audit verify`, `grant-app-role`, `backup`, `restore`."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from evaluation.cli_output import say, warn


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the commands on the `python -m evaluation` parser."""
    audit = sub.add_parser("audit", help="check the audit log's hash chain")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="walk the chain; name the first broken entry").set_defaults(
        func=cmd_audit_verify
    )
    grant = sub.add_parser(
        "grant-app-role", help="PostgreSQL: grant the app's restricted role (run as the owner)"
    )
    grant.add_argument("role")
    grant.add_argument("--create", action="store_true", help="create it (LOGIN, no password) if missing")
    grant.set_defaults(func=cmd_grant_app_role)
    backup = sub.add_parser("backup", help="a consistent snapshot of the database and evidence files")
    backup.add_argument("dir", help="a new or empty folder")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore a backup after checking its manifest")
    restore.add_argument("dir")
    restore.add_argument("--force", action="store_true", help="replace a database that holds data")
    restore.add_argument(
        "--grant-app-role", default=None, metavar="ROLE", help="PostgreSQL: grant ROLE after"
    )
    restore.set_defaults(func=cmd_restore)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from evaluation.db import make_engine
    from evaluation.services.audit_chain import verify

    engine = make_engine()
    with engine.connect() as conn:
        report = verify(conn)
    if report.ok:
        say(args.lang, "cli.audit_ok", count=report.count, head=report.head)
        return 0
    warn(args.lang, "cli.audit_broken", entry=str(report.broken_id), reason=report.reason, count=report.count)
    return 1


def cmd_grant_app_role(args: argparse.Namespace) -> int:
    from evaluation.db import make_engine
    from evaluation.db_roles import grant_app_role

    grant_app_role(make_engine(), args.role, create=args.create)
    say(args.lang, "cli.role_granted", role=args.role)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from evaluation.backup import make_backup
    from evaluation.db import make_engine
    from evaluation.storage import default_store

    manifest = make_backup(make_engine(), default_store(), Path(args.dir))
    say(
        args.lang,
        "cli.backup_written",
        folder=args.dir,
        files=len(manifest["files"]),
        head=manifest["audit_head"],
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from evaluation.backup import restore_backup
    from evaluation.db import make_engine
    from evaluation.storage import default_store

    manifest = restore_backup(
        make_engine(), default_store(), Path(args.dir), force=args.force, grant_role=args.grant_app_role
    )
    say(args.lang, "cli.restored", folder=args.dir, created=_when(manifest["created_at"]))
    return 0


def _when(stamp: str) -> datetime | str:
    """The manifest's ISO time as a datetime (written in the reader's locale), else the text itself."""
    try:
        return datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
