"""User administration (admin): create, activate or deactivate, reset a password, list; and finding the
active user a command-line run acts as. Logging in is `auth`."""

from __future__ import annotations

from sqlmodel import Session, select

from evaluation.models import ROLES, Agency, User, UserSession, utcnow
from evaluation.services import audit
from evaluation.services.actors import AGENCY_ROLES, Actor, require_role
from evaluation.services.auth import hash_password


def active_user(session: Session, username: str) -> User | None:
    """The active user of that name (any case), or None: whom a command-line run acts as."""
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    return user if user is not None and user.active else None


def create_user(
    session: Session,
    *,
    actor: Actor,
    username: str,
    full_name: str,
    password: str,
    role: str,
    agency_code: str | None = None,
) -> User:
    """Admin only (the first admin comes from `python -m evaluation create-user`)."""
    require_role(actor, "admin")
    name = username.strip().lower()
    if not name or not name.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise ValueError(
            "Nama pengguna hanya huruf, angka, titik, garis. / Username: letters, digits, . _ - only."
        )
    if role not in ROLES:
        raise ValueError(f"Peran tidak dikenal: '{role}'. / Unknown role '{role}' ({', '.join(ROLES)}).")
    agency_id = None
    if role in AGENCY_ROLES and not (agency_code or "").strip():
        raise ValueError(
            "Instansi wajib dipilih untuk operator dan koordinator. / "
            "Operators and coordinators need an agency."
        )
    if role in AGENCY_ROLES:
        agency = session.exec(
            select(Agency).where(Agency.code == (agency_code or "").strip().upper())
        ).first()
        if agency is None:
            raise ValueError(f"Instansi tidak dikenal: '{agency_code}'. / Unknown agency '{agency_code}'.")
        agency_id = agency.id
    elif agency_code:
        raise ValueError("Peran kementerian tidak terikat instansi. / Ministry roles belong to no agency.")
    if session.exec(select(User).where(User.username == name)).first() is not None:
        raise ValueError(f"Nama pengguna '{name}' sudah dipakai. / Username '{name}' is taken.")
    user = User(
        username=name,
        full_name=full_name.strip() or name,
        password_hash=hash_password(password),
        role=role,
        agency_id=agency_id,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        change_set=audit.new_change_set(),
        action="create_user",
        entity="user",
        entity_id=user.id,
        new={"username": name, "role": role, "agency": agency_code},
    )
    return user


def set_user_active(session: Session, *, actor: Actor, user_id: int, active: bool) -> None:
    require_role(actor, "admin")
    user = session.get(User, user_id)
    if user is None:
        raise LookupError(f"user {user_id} does not exist")
    if user.active != active:
        audit.record(
            session,
            actor=actor,
            change_set=audit.new_change_set(),
            action="set_active",
            entity="user",
            entity_id=user_id,
            field="active",
            old=user.active,
            new=active,
        )
        user.active = active
        if not active:
            for record in session.exec(select(UserSession).where(UserSession.user_id == user_id)):
                record.revoked_at = record.revoked_at or utcnow()
                session.add(record)
        session.add(user)


def reset_password(session: Session, *, actor: Actor, user_id: int, password: str) -> None:
    require_role(actor, "admin")
    user = session.get(User, user_id)
    if user is None:
        raise LookupError(f"user {user_id} does not exist")
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    audit.record(
        session,
        actor=actor,
        change_set=audit.new_change_set(),
        action="reset_password",
        entity="user",
        entity_id=user_id,
    )


def list_users(session: Session, *, actor: Actor) -> list[User]:
    require_role(actor, "admin")
    return list(session.exec(select(User).order_by(User.username)))
