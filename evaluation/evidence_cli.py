"""`python -m evaluation evidence migrate --to s3://bucket/prefix [--from DIR]` (issue 14) and
`python -m evaluation evidence orphans [--delete]` (issue 10).

Copies every object of the current evidence store (SPBE_EVIDENCE_DIR, or --from) into the target store,
then reads every one back from the target and checks its SHA-256. Objects already in the target are not
uploaded again, so a second run changes nothing. Exit 0 when every hash checks, 1 otherwise (each bad
object named on standard error).

`orphans` lists the objects of the current store that no evidence row names (left by a server that died
between storing an upload and committing it; a rolled-back upload deletes its own file already:
services/evidence_puts.py). With --delete each is deleted under the same digest lock and check as that undo,
so an upload of the same content running meanwhile keeps its file. Not while a backup is being restored: a
restore writes files before their rows."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

from evaluation.cli_output import say, warn


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `evidence migrate` on the `python -m evaluation` parser."""
    evidence = sub.add_parser("evidence", help="the evidence store: migrate it to S3, list or delete orphans")
    evidence_sub = evidence.add_subparsers(dest="evidence_command", required=True)
    migrate = evidence_sub.add_parser("migrate", help="copy every evidence file into another store, verified")
    migrate.add_argument("--to", required=True, help="s3://bucket/prefix (or a folder)")
    migrate.add_argument("--from", dest="source", default=None, help="default: SPBE_EVIDENCE_DIR")
    migrate.set_defaults(func=cmd_migrate)
    orphans = evidence_sub.add_parser("orphans", help="list (or --delete) stored files no evidence row names")
    orphans.add_argument("--delete", action="store_true", help="delete them (checked again under a lock)")
    orphans.set_defaults(func=cmd_orphans)


def migrate_store(source: Any, target: Any) -> dict[str, Any]:
    """Copy `source`'s objects missing in `target`, then verify all of them in `target`.
    Returns {"copied": n, "present": n, "verified": n, "bad": [digest, ...]}."""
    from evaluation.storage import EvidenceCorrupt, EvidenceMissing

    copied = present = verified = 0
    bad: list[str] = []
    digests = sorted(source.digests())
    with tempfile.TemporaryDirectory(prefix="spbe-migrate-") as scratch:
        for digest in digests:
            if target.exists(digest):
                present += 1
                continue
            path = Path(scratch) / digest
            try:
                with source.open(digest) as handle, path.open("wb") as out:  # verified against its name
                    shutil.copyfileobj(handle, out)
            except (EvidenceMissing, EvidenceCorrupt):
                bad.append(digest)
                continue
            target.put_file(path, digest)
            path.unlink()
            copied += 1
    for digest in (d for d in digests if d not in bad):
        try:
            target.open(digest).close()  # streams it back and checks the hash
            verified += 1
        except (EvidenceMissing, EvidenceCorrupt):
            bad.append(digest)
    return {"copied": copied, "present": present, "verified": verified, "bad": bad}


def cmd_migrate(args: argparse.Namespace) -> int:
    from evaluation.settings import s3_endpoint_url, s3_region
    from evaluation.storage import default_store, store_for

    source = store_for(args.source) if args.source else default_store()
    target = store_for(args.to, endpoint_url=s3_endpoint_url(), region=s3_region())
    result = migrate_store(source, target)
    say(
        args.lang,
        "cli.migrated",
        source=source.location,
        target=target.location,
        copied=result["copied"],
        present=result["present"],
        verified=result["verified"],
    )
    for digest in result["bad"]:
        warn(args.lang, "cli.digest_mismatch", digest=digest)
    return 1 if result["bad"] else 0


def find_orphans(engine: Any, store: Any, *, delete: bool = False) -> dict[str, list[str]]:
    """{"orphans": digests of `store` no evidence row names, "deleted": those deleted (with `delete`; one
    named by a row committed since the listing is kept)}."""
    from sqlmodel import col, select

    from evaluation.db import read_session
    from evaluation.models import Evidence
    from evaluation.services.evidence_puts import undo_puts

    with read_session(engine) as session:
        named = set(session.exec(select(Evidence.sha256).where(col(Evidence.sha256).is_not(None))))
    orphans = [digest for digest in store.digests() if digest not in named]
    deleted = undo_puts(engine, [(store, digest) for digest in orphans]) if delete else []
    return {"orphans": orphans, "deleted": deleted}


def cmd_orphans(args: argparse.Namespace) -> int:
    from evaluation.db import make_engine
    from evaluation.storage import default_store

    store = default_store()
    result = find_orphans(make_engine(), store, delete=args.delete)
    for digest in result["orphans"]:
        say(args.lang, "cli.orphan_deleted" if digest in result["deleted"] else "cli.orphan", digest=digest)
    say(
        args.lang,
        "cli.orphans_summary",
        location=store.location,
        orphans=len(result["orphans"]),
        deleted=len(result["deleted"]),
    )
    return 0
