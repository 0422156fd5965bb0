"""Settings from the environment, read at call time (so a test or an operator can change them without a
restart of the module). One small function per setting; each says its variable and its default.

| variable | meaning | default |
|---|---|---|
| `SPBE_SESSION_IDLE_MINUTES` | a session ends after this much inactivity | 30 |
| `SPBE_SESSION_MAX_HOURS` | a session ends this long after sign-in, active or not | 12 |
| `SPBE_MFA_REQUIRED_ROLES` | comma-separated roles that must use a sign-in code (TOTP) | admin |
| `SPBE_COOKIE_SECURE` | 1: cookies always carry Secure (behind a TLS-terminating proxy) | 0 |
| `SPBE_CLIENT_IP_HEADER` | header a trusted proxy fills with the client address, e.g. X-Real-IP | unset |
| `SPBE_DEMO` | 1: load the demo into an empty database on first start (never in production) | 0 |
| `SPBE_EVIDENCE_DIR` | evidence: a folder or `s3://bucket/prefix` (boto3, AWS_* keys) | data/evidence |
| `SPBE_S3_ENDPOINT_URL` | S3-compatible endpoint (MinIO, Ceph, moto...); unset: AWS | unset |
| `SPBE_S3_REGION` | the bucket's region (else AWS_DEFAULT_REGION / AWS_REGION) | unset |
| `SPBE_DB_POOL_SIZE` | connections each server keeps open to PostgreSQL | 5 |
| `SPBE_DB_MAX_OVERFLOW` | extra connections a server may open under load | 5 |
| `SPBE_DB_POOL_RECYCLE` | seconds after which a pooled connection is replaced | 1800 |
| `SPBE_DB_POOL_TIMEOUT` | seconds a request waits for a free connection | 30 |
| `SPBE_SMTP_HOST` | mail server of notification emails; unset: no email (never with SPBE_DEMO=1) | unset |
| `SPBE_SMTP_PORT` | its port | 587 (465 with SSL) |
| `SPBE_SMTP_USER`, `SPBE_SMTP_PASSWORD` | sign-in at the mail server; unset: none | unset |
| `SPBE_SMTP_STARTTLS` | true/false: upgrade the connection with STARTTLS | true |
| `SPBE_SMTP_SSL` | true/false: implicit TLS from the first byte (port 465) | false |
| `SPBE_MAIL_FROM` | the From address of notification emails | spbe@localhost |
| `SPBE_APP_URL` | the app's public address, for links in emails | unset |
| `DATABASE_URL` | the database (`sqlite:///...` or `postgresql://...`) | data/spbe.db |
| `SPBE_DEMO_AGENCIES` | load only N agencies of the demo (a sample across categories) | all |
| `SPBE_MAX_UPLOAD_MB` | the largest evidence file, decimal MB | 20 |
| `SPBE_WORKBOOK_MAX_MB` | the largest workbook or CSV to import or score, decimal MB | 50 |
| `SPBE_SCORING_CACHE_ENTRIES` | periods' scorings a process keeps in memory | 32 |
| `SPBE_HORIZON_YEARS` | years after the baseline of the short, medium and long horizons | 1,3,5 |
| `SPBE_LANG` | the command line's language (`id` or `en`; `--lang` overrides it) | id |

Upload limits are decimal megabytes (1 MB = 1,000,000 bytes), as the limits are written to users.
Streamlit's own `server.maxUploadSize` (.streamlit/config.toml) counts binary megabytes and must stay at
or above the largest of them (tests/unit/test_settings_upload_limits.py checks the defaults).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from evaluation.translatable import InvalidInput

ROLES_REQUIRING_MFA_DEFAULT = "admin"


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def session_idle_timeout() -> timedelta:
    """How long a session may stay unused (`SPBE_SESSION_IDLE_MINUTES`, default 30 minutes)."""
    return timedelta(minutes=_number("SPBE_SESSION_IDLE_MINUTES", 30))


def session_max_lifetime() -> timedelta:
    """How long a session lives from sign-in whatever the activity (`SPBE_SESSION_MAX_HOURS`, 12 h)."""
    return timedelta(hours=_number("SPBE_SESSION_MAX_HOURS", 12))


def mfa_required_roles() -> frozenset[str]:
    """Roles that must sign in with a TOTP code (`SPBE_MFA_REQUIRED_ROLES`, default "admin"; an empty
    value requires it of nobody)."""
    raw = os.environ.get("SPBE_MFA_REQUIRED_ROLES", ROLES_REQUIRING_MFA_DEFAULT)
    return frozenset(part.strip().lower() for part in raw.split(",") if part.strip())


def cookie_secure() -> bool:
    """True when `SPBE_COOKIE_SECURE` is 1/true/yes: the app sits behind a proxy that ends TLS, so the
    request the app sees is http but the browser's is https."""
    return os.environ.get("SPBE_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes", "on")


def client_ip_header() -> str | None:
    """The header a trusted reverse proxy fills with the client's address (`SPBE_CLIENT_IP_HEADER`), or
    None to use the address of the connection itself. Set it only behind a proxy that overwrites it."""
    value = os.environ.get("SPBE_CLIENT_IP_HEADER", "").strip()
    return value or None


def _whole(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return value if value >= minimum else default


def demo_enabled() -> bool:
    """True only when `SPBE_DEMO` is 1/true/yes/on: demo data (users with published passwords) are loaded
    into an empty database only when asked; a production start creates no users."""
    return os.environ.get("SPBE_DEMO", "").strip().lower() in ("1", "true", "yes", "on")


def evidence_location() -> str | None:
    """The evidence store setting (`SPBE_EVIDENCE_DIR`): a folder, `file://PATH` or `s3://BUCKET/PREFIX`;
    None for the default folder data/evidence."""
    value = os.environ.get("SPBE_EVIDENCE_DIR", "").strip()
    return value or None


def s3_endpoint_url() -> str | None:
    """`SPBE_S3_ENDPOINT_URL`: an S3-compatible service's URL; None for AWS itself."""
    return os.environ.get("SPBE_S3_ENDPOINT_URL", "").strip() or None


def s3_region() -> str | None:
    """`SPBE_S3_REGION` (else boto3's own AWS_DEFAULT_REGION / AWS config); None to let boto3 decide."""
    return os.environ.get("SPBE_S3_REGION", "").strip() or None


def pool_settings() -> dict[str, int]:
    """SQLAlchemy pool arguments of a server's one PostgreSQL engine: pool_size (`SPBE_DB_POOL_SIZE`, 5),
    max_overflow (`SPBE_DB_MAX_OVERFLOW`, 5), pool_recycle in seconds (`SPBE_DB_POOL_RECYCLE`, 1800) and
    pool_timeout in seconds (`SPBE_DB_POOL_TIMEOUT`, 30). A server opens at most size + overflow."""
    return {
        "pool_size": _whole("SPBE_DB_POOL_SIZE", 5, minimum=1),
        "max_overflow": _whole("SPBE_DB_MAX_OVERFLOW", 5),
        "pool_recycle": _whole("SPBE_DB_POOL_RECYCLE", 1800, minimum=1),
        "pool_timeout": _whole("SPBE_DB_POOL_TIMEOUT", 30, minimum=1),
    }


def configured_database_url() -> str | None:
    """`DATABASE_URL` as set, or None (evaluation.db then uses the SQLite file data/spbe.db)."""
    return os.environ.get("DATABASE_URL", "").strip() or None


def demo_agency_limit() -> int | None:
    """`SPBE_DEMO_AGENCIES`: load only this many agencies of the demo; None (unset or not a positive
    whole number) loads all of them."""
    value = _whole("SPBE_DEMO_AGENCIES", 0, minimum=1)
    return value or None


BYTES_PER_MB = 1_000_000  # decimal megabytes, as the limits are written to users
EVIDENCE_MAX_MB_DEFAULT = 20
WORKBOOK_MAX_MB_DEFAULT = 50


def evidence_max_bytes() -> int:
    """The largest evidence file accepted, in bytes (`SPBE_MAX_UPLOAD_MB`, decimal MB, default 20)."""
    return round(_number("SPBE_MAX_UPLOAD_MB", EVIDENCE_MAX_MB_DEFAULT) * BYTES_PER_MB)


def workbook_max_bytes() -> int:
    """The largest workbook or CSV the importer and `python -m evaluation score` read, in bytes as
    uploaded (XLSX: compressed) (`SPBE_WORKBOOK_MAX_MB`, decimal MB, default 50)."""
    return round(_number("SPBE_WORKBOOK_MAX_MB", WORKBOOK_MAX_MB_DEFAULT) * BYTES_PER_MB)


SCORING_CACHE_ENTRIES_DEFAULT = 32  # a national period is ~650 agencies (~6 MB scored)


def scoring_cache_entries() -> int:
    """How many (period, level kind) scorings a process keeps (`SPBE_SCORING_CACHE_ENTRIES`, default 32)."""
    return _whole("SPBE_SCORING_CACHE_ENTRIES", SCORING_CACHE_ENTRIES_DEFAULT, minimum=1)


COLLECTOR_FREEZE_SECONDS_DEFAULT = 60


def collector_freeze_seconds() -> int:
    """How often (seconds) an app server runs one full garbage collection and then moves everything alive
    out of the collector's reach (`SPBE_GC_FREEZE_SECONDS`, default 60; 0 leaves Python's collector as
    it is). See app_pages/collector.py."""
    return _whole("SPBE_GC_FREEZE_SECONDS", COLLECTOR_FREEZE_SECONDS_DEFAULT)


HORIZON_YEARS_DEFAULT = (1, 3, 5)


def horizon_lengths() -> tuple[int, int, int]:
    """Years from the baseline to the short, medium and long horizons (`SPBE_HORIZON_YEARS`, "1,3,5").

    Raises ValueError when the value is not three whole numbers separated by commas."""
    raw = os.environ.get("SPBE_HORIZON_YEARS", "").strip()
    if not raw:
        return HORIZON_YEARS_DEFAULT
    parts = [int(part) for part in raw.split(",")]
    if len(parts) != 3:
        raise InvalidInput("error.horizon_years", raw=repr(raw))
    return parts[0], parts[1], parts[2]


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    starttls: bool
    ssl: bool
    sender: str


def mail_settings() -> MailSettings | None:
    """The mail server for notification emails, or None when email is off: `SPBE_SMTP_HOST` unset (the
    default) or the demo running (`SPBE_DEMO`, whose users' addresses are invented). Port `SPBE_SMTP_PORT`
    (587, or 465 with `SPBE_SMTP_SSL`), `SPBE_SMTP_USER`/`SPBE_SMTP_PASSWORD` (no sign-in when unset),
    `SPBE_SMTP_STARTTLS` (default true; ignored with implicit TLS), `SPBE_MAIL_FROM`."""
    host = os.environ.get("SPBE_SMTP_HOST", "").strip()
    if not host or demo_enabled():
        return None
    ssl = _flag("SPBE_SMTP_SSL", False)
    return MailSettings(
        host=host,
        port=_whole("SPBE_SMTP_PORT", 465 if ssl else 587, minimum=1),
        user=os.environ.get("SPBE_SMTP_USER", "").strip() or None,
        password=os.environ.get("SPBE_SMTP_PASSWORD") or None,
        starttls=_flag("SPBE_SMTP_STARTTLS", True) and not ssl,
        ssl=ssl,
        sender=os.environ.get("SPBE_MAIL_FROM", "").strip() or "spbe@localhost",
    )


def app_url() -> str | None:
    """`SPBE_APP_URL`: the address users open the app at (links in emails), without a trailing slash."""
    return os.environ.get("SPBE_APP_URL", "").strip().rstrip("/") or None


def cli_language() -> str:
    """The language the command line prints in (`SPBE_LANG`: "id" or "en"; anything else, or unset: "id").
    The `--lang` option of `python -m evaluation` overrides it."""
    value = os.environ.get("SPBE_LANG", "").strip().lower()
    return value if value in ("id", "en") else "id"
