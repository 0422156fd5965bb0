"""`python -m tests.bench_sign_in`: sign-in under attack, with the production argon2id parameters.

On a fresh SQLite database (and on PostgreSQL when TEST_DATABASE_URL names a server; a throwaway database
is made and dropped there) it prints:
- how many of 20 parallel wrong guesses had their password checked (from one client, and from 20), and
- the median time of a refusal for an unknown user, a wrong password and a throttled attempt, which
  should be alike (no timing oracle), next to a successful sign-in.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from evaluation.bootstrap import ensure_schema
from evaluation.db import make_engine, read_session, write_session
from evaluation.services import auth
from evaluation.services.actors import SYSTEM
from evaluation.services.auth import AuthError, authenticate
from evaluation.services.users import create_user

PASSWORD = "jembatan-kayu-berlumut-7"


class CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__()
        self.checks, self._lock = 0, threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self._lock:
            self.checks += 1
        return super().verify(hash, password)


def attempt(engine: Engine, name: str, password: str, client: str) -> float:
    start = time.perf_counter()
    try:
        with read_session(engine) as session:
            authenticate(session, username=name, password=password, client=client)
    except AuthError:
        pass
    return time.perf_counter() - start


def parallel_checks(engine: Engine, name: str, one_client: bool) -> int:
    hasher = CountingHasher()
    auth.HASHER = hasher
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(
            pool.map(
                lambda i: attempt(
                    engine, name, "salah-salah-2026", "10.9.0.1" if one_client else f"10.9.1.{i}"
                ),
                range(20),
            )
        )
    auth.HASHER = PasswordHasher()
    return hasher.checks


def timings(engine: Engine) -> dict[str, float]:
    runs: dict[str, list[float]] = {"unknown user": [], "wrong password": [], "throttled": [], "success": []}
    for i in range(7):
        runs["unknown user"].append(attempt(engine, f"tidak-ada-{i}", PASSWORD, f"10.8.0.{i}"))
        runs["wrong password"].append(attempt(engine, "pengguna", "salah-salah-2026", f"10.8.1.{i}"))
        runs["success"].append(attempt(engine, "pengguna", PASSWORD, f"10.8.2.{i}"))
    for _ in range(5):
        attempt(engine, "korban", "salah-salah-2026", "10.8.3.1")
    for _ in range(7):
        runs["throttled"].append(attempt(engine, "korban", PASSWORD, "10.8.3.1"))
    return {kind: statistics.median(values) * 1000 for kind, values in runs.items()}


def bench(label: str, url: str) -> None:
    engine = make_engine(url)
    ensure_schema(engine)
    with write_session(engine) as session:
        for name in ("pengguna", "korban", "sasaran", "sasaran2"):
            create_user(
                session, actor=SYSTEM, username=name, full_name=name, password=PASSWORD, role="reviewer"
            )
    print(
        f"{label}: 20 parallel wrong guesses, one client: {parallel_checks(engine, 'sasaran', True)} checked"
    )
    many = parallel_checks(engine, "sasaran2", False)
    print(f"{label}: 20 parallel wrong guesses, 20 clients: {many} checked")
    for kind, ms in timings(engine).items():
        print(f"{label}: median {kind:15s} {ms:7.1f} ms")
    engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        bench("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}")
    if os.environ.get("TEST_DATABASE_URL"):
        from tests.conftest import _fresh_postgres

        url, drop = _fresh_postgres()
        try:
            bench("postgresql", url)
        finally:
            drop()


if __name__ == "__main__":
    main()
