"""Multi-factor sign-in: TOTP codes (RFC 6238, pyotp) and ten one-time recovery codes.

Enrolment: `new_secret` gives a secret that the account page keeps (server-side) while the user scans
`qr_data_uri(provisioning_uri(...))` (a PNG drawn locally by segno) or types the secret, then
`enable_mfa` checks one code and stores the secret and ten recovery codes (SHA-256 hashes; the codes are
shown once). A TOTP code is accepted for its 30-second step or one step either side, once: the last
accepted step is kept and an equal or older one is refused (no replay). The secret never goes to the
audit log or any message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from evaluation.models import RecoveryCode, User, UserSession, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.settings import mfa_required_roles
from evaluation.translatable import NotFound, Translatable
from evaluation.workflow import Role

ISSUER = "SPBE Pemdi"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class MfaError(Translatable, ValueError):
    """Enrolment refused (wrong code, already enrolled); the message says which."""


def mfa_required(role: str) -> bool:
    """True when the role must sign in with a code (`SPBE_MFA_REQUIRED_ROLES`)."""
    return role in mfa_required_roles()


def mfa_enabled(user: User) -> bool:
    return bool(user.mfa_secret) and user.mfa_enabled_at is not None


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code of `uri` as a data: URI of a PNG, drawn here (nothing is fetched from elsewhere)."""
    return str(segno.make(uri, error="m").png_data_uri(scale=5, border=2))


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _clean(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(session: Session, user_id: int, step: int) -> bool:
    """Record `step` as used unless it (or a later one) was: atomic, so a replay racing loses."""
    result = session.execute(
        update(User)
        .where(
            col(User.id) == user_id, or_(col(User.mfa_last_step).is_(None), col(User.mfa_last_step) < step)
        )
        .values(mfa_last_step=step)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def verify_code(session: Session, *, user_id: int, code: str, now: datetime | None = None) -> bool:
    """True when `code` is the user's current TOTP code (not used before) or an unused recovery code,
    which is then used up. False otherwise, also for users without multi-factor sign-in."""
    now = now or utcnow()
    secret = session.exec(select(User.mfa_secret).where(User.id == user_id)).first()
    cleaned = _clean(code)
    if not secret or not cleaned:
        return False
    if cleaned.isdigit() and len(cleaned) == 6:
        step = _matching_step(secret, cleaned, now)
        return step is not None and _use_step(session, user_id, step)
    used = session.execute(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user_id,
            col(RecoveryCode.code_hash) == _code_hash(cleaned),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=now)
    )
    return used.rowcount == 1  # type: ignore[attr-defined]


def _new_recovery_codes(session: Session, user_id: int, now: datetime) -> list[str]:
    session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        session.add(RecoveryCode(user_id=user_id, code_hash=_code_hash(raw), created_at=now))
    session.flush()
    return codes


def enable_mfa(
    session: Session, *, actor: Actor, secret: str, code: str, now: datetime | None = None
) -> list[str]:
    """Turn on multi-factor sign-in for the acting user once `code` proves their app holds `secret`.
    Returns the ten recovery codes (shown once; only hashes are kept). Raises MfaError on a wrong code."""
    now = now or utcnow()
    if actor.user_id is None:
        raise PermissionDenied("ea.signed_in_only")
    try:
        base64.b32decode(secret, casefold=True)
    except ValueError as exc:
        raise MfaError("ea.mfa_bad_secret") from exc
    cleaned = _clean(code)
    step = _matching_step(secret, cleaned, now) if cleaned.isdigit() and len(cleaned) == 6 else None
    if step is None:
        raise MfaError("ea.mfa_code_mismatch")
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound("ea.user_not_found", user_id=str(actor.user_id))
    user.mfa_secret = secret
    user.mfa_enabled_at = now
    user.mfa_last_step = step
    session.add(user)
    codes = _new_recovery_codes(session, actor.user_id, now)
    audit.record(session, "user", actor.user_id, actor=actor, action="mfa_enabled")
    return codes


def reset_mfa(session: Session, *, actor: Actor, user_id: int, now: datetime | None = None) -> None:
    """Turn multi-factor sign-in off (the user, or an admin for a user who lost the phone); the user's
    recovery codes go and every session of the user ends. Raises PermissionDenied for anyone else."""
    if actor.user_id != user_id and actor.role != Role.ADMIN:
        raise PermissionDenied("ea.mfa_owner_or_admin")
    now = now or utcnow()
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("ea.user_not_found", user_id=str(user_id))
    user.mfa_secret = None
    user.mfa_enabled_at = None
    user.mfa_last_step = None
    session.add(user)
    session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    revoke_sessions(session, user_id=user_id, now=now)
    audit.record(session, "user", user_id, actor=actor, action="mfa_reset")


def recovery_codes_left(session: Session, *, user_id: int) -> int:
    """How many unused recovery codes the user has."""
    rows = session.exec(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None))
    )
    return len(rows.all())


def revoke_sessions(session: Session, *, user_id: int, now: datetime | None = None) -> int:
    """End every live session of a user (password change or reset, role change, deactivation, MFA reset);
    returns how many ended."""
    result = session.execute(
        update(UserSession)
        .where(col(UserSession.user_id) == user_id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now or utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
