"""User administration (admin): create, activate or deactivate, change a role, reset a password, list;
a user's own password change; and finding the active user a command-line run acts as. Signing in is
`auth`. Every password set here passes `passwords.check_password`; every change of password, role or
activity ends all of the user's sessions."""

from __future__ import annotations

from sqlmodel import Session, select

from evaluation.models import ROLES, Agency, User, utcnow
from evaluation.services import audit
from evaluation.services.actors import AGENCY_ROLES, Actor, PermissionDenied, require_role
from evaluation.services.audit_fields import record_change, record_created
from evaluation.services.auth import LOCAL_CLIENT, hash_password, reauthenticate
from evaluation.services.mfa import reset_mfa, revoke_sessions
from evaluation.services.passwords import check_password, check_username, normalise_username
from evaluation.services.text_rules import LENGTHS, check_text
from evaluation.translatable import InvalidInput, Message, NotFound
from evaluation.workflow import Role


def active_user(session: Session, username: str) -> User | None:
    """The active user of that name (any case), or None: whom a command-line run acts as."""
    user = session.exec(select(User).where(User.username == normalise_username(username))).first()
    return user if user is not None and user.active else None


def _agency_for(session: Session, role: str, agency_code: str | None) -> int | None:
    """The agency id an account of `role` belongs to (agency roles need one, ministry roles none)."""
    agency_id = None
    if role in AGENCY_ROLES and not (agency_code or "").strip():
        raise InvalidInput("ea.agency_required")
    if role in AGENCY_ROLES:
        agency = session.exec(
            select(Agency).where(Agency.code == (agency_code or "").strip().upper())
        ).first()
        if agency is None:
            raise InvalidInput("ea.unknown_agency", agency=agency_code)
        agency_id = agency.id
    elif agency_code:
        raise InvalidInput("ea.ministry_role_no_agency")
    return agency_id


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
    """Admin only (the first admin comes from `python -m evaluation create-user`). The user name is
    normalised (NFKC, case-folded: "ＡＤＭＩＮ" is "admin") and must be free; the password must pass the
    policy. Raises ValueError (PasswordRejected for the password) saying why."""
    require_role(actor, Role.ADMIN)
    name = check_username(username)
    check_text(full_name.strip(), Message("ea.label_full_name"), max_length=LENGTHS["user.full_name"])
    check_password(password, username=name)
    if role not in ROLES:
        raise InvalidInput("ea.unknown_user_role", role=role, roles=list(ROLES))
    agency_id = _agency_for(session, role, agency_code)
    if session.exec(select(User).where(User.username == name)).first() is not None:
        raise InvalidInput("ea.username_taken", name=name)
    user = User(
        username=name,
        full_name=full_name.strip() or name,
        password_hash=hash_password(password),
        role=role,
        agency_id=agency_id,
    )
    new = {"username": name, "role": role, "agency": agency_code}
    session.add(user)
    record_created(session, user, actor=actor, action="create_user", entity="user", new=new)
    return user


def set_user_active(session: Session, *, actor: Actor, user_id: int, active: bool) -> None:
    require_role(actor, Role.ADMIN)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("ea.user_not_found", user_id=str(user_id))
    if user.active != active:
        record_change(session, user, "active", active, actor=actor, action="set_active", entity="user")
        if not active:
            revoke_sessions(session, user_id=user_id, now=utcnow())


def set_user_role(
    session: Session, *, actor: Actor, user_id: int, role: str, agency_code: str | None = None
) -> None:
    """Admin only: give a user another role (agency roles need an agency); the user's sessions end."""
    require_role(actor, Role.ADMIN)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("ea.user_not_found", user_id=str(user_id))
    if role not in ROLES:
        raise InvalidInput("ea.unknown_user_role", role=role, roles=list(ROLES))
    agency_id = _agency_for(session, role, agency_code)
    if (user.role, user.agency_id) == (role, agency_id):
        return
    audit.record(
        session,
        actor=actor,
        action="set_role",
        entity="user",
        entity_id=user_id,
        field="role",
        old={"role": user.role, "agency_id": user.agency_id},
        new={"role": role, "agency_id": agency_id},
    )
    user.role, user.agency_id = role, agency_id
    session.add(user)
    revoke_sessions(session, user_id=user_id, now=utcnow())


def reset_password(session: Session, *, actor: Actor, user_id: int, password: str) -> None:
    """Admin only: set a new password (it must pass the policy); every session of the user ends."""
    require_role(actor, Role.ADMIN)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("ea.user_not_found", user_id=str(user_id))
    check_password(password, username=user.username)
    user.password_hash = hash_password(password)
    session.add(user)
    revoke_sessions(session, user_id=user_id, now=utcnow())
    audit.record(session, "user", user_id, actor=actor, action="reset_password")


def list_users(session: Session, *, actor: Actor) -> list[User]:
    require_role(actor, Role.ADMIN)
    return list(session.exec(select(User).order_by(User.username)))


def change_own_password(
    session: Session,
    *,
    actor: Actor,
    current_password: str,
    new_password: str,
    client: str = LOCAL_CLIENT,
) -> None:
    """The signed-in user changes their own password: the current one must be right (checked and
    throttled like a sign-in) and the new one must pass the policy. Every session of the user ends (they
    sign in again). Raises AuthError for a wrong current password, PasswordRejected for a refused new one."""
    user = _own_account(session, actor)
    check_password(new_password, username=user.username)
    reauthenticate(session, user_id=user.id or 0, password=current_password, client=client)
    user = _own_account(session, actor)
    user.password_hash = hash_password(new_password)
    session.add(user)
    revoke_sessions(session, user_id=user.id or 0, now=utcnow())
    audit.record(session, "user", user.id, actor=actor, action="change_password")


def turn_off_own_mfa(
    session: Session, *, actor: Actor, current_password: str, client: str = LOCAL_CLIENT
) -> None:
    """The signed-in user turns two-step verification off, confirming with the current password (checked
    and throttled like a sign-in); every session of the user ends. Raises AuthError."""
    user = _own_account(session, actor)
    reauthenticate(session, user_id=user.id or 0, password=current_password, client=client)
    reset_mfa(session, actor=actor, user_id=user.id or 0)


def set_email(session: Session, *, actor: Actor, user_id: int, email: str | None) -> None:
    """Set the address notification emails go to (issue 12): an admin for anyone, every user for their
    own account; empty removes it. Raises PermissionDenied, LookupError, or ValueError for an address that
    is not a plain mailbox (local@domain.tld, at most 254 characters, no spaces or line breaks)."""
    from evaluation.services.notification_email import valid_address

    if actor.role != Role.ADMIN and actor.user_id != user_id:
        raise PermissionDenied("ea.email_admin_only")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("ea.user_not_found", user_id=str(user_id))
    value = (email or "").strip() or None
    if value is not None and not valid_address(value):
        raise InvalidInput("ea.email_invalid")
    if value == user.email:
        return
    record_change(session, user, "email", value, actor=actor, action="set_email", entity="user")


def _own_account(session: Session, actor: Actor) -> User:
    if actor.user_id is None:
        raise PermissionDenied("ea.signed_in_only")
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise NotFound("ea.user_not_found", user_id=str(actor.user_id))
    return user
