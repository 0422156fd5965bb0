"""`python -m evaluation evidence migrate --to s3://bucket/prefix [--from DIR]` (issue 14).

Copies every object of the current evidence store (SPBE_EVIDENCE_DIR, or --from) into the target store,
then reads every one back from the target and checks its SHA-256. Objects already in the target are not
uploaded again, so a second run changes nothing. Exit 0 when every hash checks, 1 otherwise (each bad
object named on standard error)."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `evidence migrate` on the `python -m evaluation` parser."""
    evidence = sub.add_parser("evidence", help="the evidence store: migrate it to S3-compatible storage")
    evidence_sub = evidence.add_subparsers(dest="evidence_command", required=True)
    migrate = evidence_sub.add_parser("migrate", help="copy every evidence file into another store, verified")
    migrate.add_argument("--to", required=True, help="s3://bucket/prefix (or a folder)")
    migrate.add_argument("--from", dest="source", default=None, help="default: SPBE_EVIDENCE_DIR")
    migrate.set_defaults(func=cmd_migrate)


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
    print(
        f"{source.location} -> {target.location}: disalin/copied {result['copied']}, "
        f"sudah ada/already there {result['present']}, terverifikasi/verified {result['verified']}"
    )
    for digest in result["bad"]:
        print(f"{digest}: tidak sesuai / does not match", file=sys.stderr)
    return 1 if result["bad"] else 0
