"""The engine, sessions and migrations. `DATABASE_URL` picks the database; default a SQLite file in data/.

SQLite is tuned for several writers (WAL, foreign keys, busy timeout) and write sessions open with
BEGIN IMMEDIATE so that two writers queue instead of failing half-way; inside one process they queue on a
lock first, so they do not busy-wait. PostgreSQL needs none of that.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Insert, Update, event, inspect
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import Session, create_engine

from evaluation.translatable import SetupError, Translatable


class DatabaseBusy(Translatable, TimeoutError):
    """SQLite's single writer did not get its turn in time (PostgreSQL never raises it)."""


ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "data" / "spbe.db"
BUSY_TIMEOUT_MS = 15_000


def database_url() -> str:
    """The database URL: `DATABASE_URL` (evaluation.settings), else the SQLite file data/spbe.db."""
    from evaluation.settings import configured_database_url

    return configured_database_url() or f"sqlite:///{DEFAULT_SQLITE}"


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` and use psycopg 3 for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    url = normalise_url(url or database_url())
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        _tune_sqlite(engine)
        return engine
    from evaluation.settings import pool_settings

    return create_engine(url, pool_pre_ping=True, **{**pool_settings(), **kwargs})


_SHARED: dict[str, Engine] = {}
_SHARED_GUARD = threading.Lock()


def shared_engine(url: str | None = None) -> Engine:
    """The one engine (and pool) of this process for `url` (default DATABASE_URL): the pages and the HTTP
    routes of a server share it, so a server opens at most SPBE_DB_POOL_SIZE + SPBE_DB_MAX_OVERFLOW
    PostgreSQL connections."""
    key = normalise_url(url or database_url())
    with _SHARED_GUARD:
        engine = _SHARED.get(key)
        if engine is None:
            engine = _SHARED[key] = make_engine(key)
        return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


_SQLITE_WRITERS: dict[str, threading.RLock] = {}
_SQLITE_WRITERS_GUARD = threading.Lock()
_ENGINE_WRITERS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


def sqlite_writer_lock(engine: Engine) -> threading.RLock:
    """The process-wide lock of one SQLite database file: write sessions of every engine on that file
    take it, so this process's writers queue in order instead of busy-waiting on SQLite's lock (which
    sleeps in growing steps: `python -m bench savers`, 50 concurrent savers, p95 642 -> 137 ms
    on a lightly loaded machine). Other processes still queue on BEGIN IMMEDIATE and the busy timeout.
    Found once per engine: resolving the file's path takes system calls, and every save asks."""
    found = _ENGINE_WRITERS.get(engine)
    if found is not None:
        return found
    name = engine.url.database
    key = str(Path(name).resolve()) if name and name != ":memory:" else f"engine-{id(engine)}"
    with _SQLITE_WRITERS_GUARD:
        found = _ENGINE_WRITERS[engine] = _SQLITE_WRITERS.setdefault(key, threading.RLock())
    return found


@contextmanager
def _writer_turn(engine: Engine) -> Iterator[None]:
    if not is_sqlite(engine):
        yield  # PostgreSQL: writers run concurrently, row locks order them where they meet
        return
    lock = sqlite_writer_lock(engine)
    if not lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
        raise DatabaseBusy("error.db_busy")
    try:
        yield
    finally:
        lock.release()


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction that commits on success and rolls back on any error; nothing half-applied.
    On SQLite it opens with BEGIN IMMEDIATE, one writer of the process at a time (`sqlite_writer_lock`),
    held from BEGIN to COMMIT only: the session is made before and closed after the turn."""
    with Session(engine) as session, _writer_turn(engine):
        if is_sqlite(engine):
            session.connection(execution_options={"sqlite_immediate": True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def executemany(
    connection: Connection, statement: Insert | Update, rows: Sequence[Mapping[str, Any]]
) -> None:
    """One INSERT or UPDATE run for many parameter sets (each with the keys of the first) through the
    driver's executemany: compiled once, every value converted by its type's bind processor, without
    SQLAlchemy's per-set work (about 10 µs a set; a national import writes some 15,000 sets). The rows
    must give every column that has a Python-side default (insert) or onupdate (update); otherwise, or
    when the keys differ between sets, the statement runs through `connection.execute` as usual."""
    if not rows:
        return
    keys = set(rows[0])
    table = statement.table
    python_side = [
        c.key
        for c in getattr(table, "columns", ())
        if (c.default if isinstance(statement, Insert) else c.onupdate) is not None
    ]
    compiled = statement.compile(dialect=connection.dialect, column_keys=list(rows[0]))
    processors = getattr(compiled, "_bind_processors", None)
    if processors is None or any(k not in keys for k in python_side) or any(set(r) != keys for r in rows):
        connection.execute(statement, list(rows))
        return
    first = compiled.construct_params(rows[0])
    order = list(compiled.positiontup or ()) if compiled.positional else list(first)
    constant = {name: first[name] for name in order if name not in keys}  # values given in the statement
    for name, value in constant.items():
        if name in processors:
            constant[name] = processors[name](value)
    converted: list[tuple[str, Any, dict[int, tuple[Any]]]] = [
        (name, processors[name], {}) for name in order if name in keys and name in processors
    ]
    sets: list[Any] = []
    for row in rows:
        values = {**constant, **row}
        for name, process, seen in converted:  # a bulk write repeats values (its time): convert each once
            value = values[name]
            key = id(value)  # the rows hold every value until the end: an id is never reused here
            found = seen.get(key)
            if found is None:
                found = seen[key] = (process(value),)
            values[name] = found[0]
        sets.append(tuple(values[name] for name in order) if compiled.positional else values)
    connection.exec_driver_sql(compiled.string, sets)


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    if not is_sqlite(engine):
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
        return
    # SQLite rebuilds a table to change its constraints (copy, DROP, rename): with foreign keys on, the
    # DROP of a table that others reference fails on a database holding data. The pragma only takes
    # effect outside a transaction, so it is switched off around the migration and the references are
    # checked before the migration commits.
    with engine.connect() as connection:
        raw = connection.connection.driver_connection  # autocommit: the pragma runs outside a transaction
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise SetupError(
                        "error.migration_broken_references", rows=[str(row) for row in broken[:5]]
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def schema_is_current(engine: Engine) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    if "alembic_version" not in inspect(engine).get_table_names():
        return False
    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current) == set(script.get_heads())
