"""Users and their sessions. Functions take a session and values, flush, and never commit."""

from __future__ import annotations

from flask import session as cookie_session
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.passwords import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password
from app.core.enums import Role
from app.core.errors import DomainError, NotFound
from app.core.timeutil import utcnow
from app.extensions import db

SESSION_VERSION_KEY = "sv"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def user_get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("That user does not exist."))
    return user


def user_authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with that e-mail and password, or None. Takes the same time whether or not it exists."""
    user = user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


def _check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field=field)


def _check_organization(role: Role, organization_id: int | None) -> None:
    if role is Role.DONOR and organization_id is None:
        raise DomainError(
            _("A donor account must belong to the donor organization it reports to."), field="organization_id"
        )


def user_create(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    role: Role,
    organization_id: int | None = None,
    locale: str | None = None,
) -> User:
    email = normalise_email(email)
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise DomainError(_("A user with this e-mail already exists."), field="email")
    _check_password_strength(password)
    _check_organization(role, organization_id)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        organization_id=organization_id,
        locale=locale,
        active=True,
        session_version=1,
    )
    session.add(user)
    session.flush()
    return user


def _active_admin_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)) or 0)


def user_update(
    session: Session,
    user: User,
    *,
    name: str,
    role: Role,
    organization_id: int | None,
    active: bool,
    acting_user_id: int | None,
) -> User:
    """Change a user's name, role, organization or access. The last active administrator cannot be removed."""
    _check_organization(role, organization_id)
    losing_admin = user.role is Role.ADMIN and user.active and (role is not Role.ADMIN or not active)
    if losing_admin and _active_admin_count(session) <= 1:
        raise DomainError(_("There must always be at least one active administrator."), field="role")
    if user.id == acting_user_id and not active:
        raise DomainError(_("You cannot disable your own account."), field="active")
    access_reduced = (user.role != role) or (user.active and not active) or user.organization_id != organization_id
    user.name = name.strip()
    user.role = role
    user.organization_id = organization_id
    user.active = active
    if access_reduced:
        user_end_sessions(user)
    session.flush()
    return user


def user_end_sessions(user: User) -> None:
    """Invalidate every session cookie this user holds, wherever it was copied to."""
    user.session_version = (user.session_version or 0) + 1


def user_change_password(session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainError(_("The current password is not correct."), field="current_password")
    _check_password_strength(new, field="new_password")
    user.password_hash = hash_password(new)
    user_end_sessions(user)
    session.flush()


def user_set_password(session: Session, user: User, new: str) -> None:
    """An administrator resets a password (or the CLI does): every session of the user ends."""
    _check_password_strength(new)
    user.password_hash = hash_password(new)
    user_end_sessions(user)
    session.flush()


def user_set_locale(session: Session, user: User, locale: str) -> None:
    user.locale = locale
    session.flush()


def remember_session_version(user: User) -> None:
    cookie_session[SESSION_VERSION_KEY] = user.session_version


def load_session_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user only if active and the cookie carries their current session version."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active:
        return None
    if cookie_session.get(SESSION_VERSION_KEY) != user.session_version:
        return None
    return user
