"""Personal access tokens. Functions take a session and values, flush, and never commit.

A token is a high-entropy random secret shown once to its owner; the database keeps only its SHA-256, so a copy
of the database does not give access to the API. A token is refused once revoked, once expired, or when its owner's
account is disabled.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.models import ApiToken
from app.auth.models import User
from app.core.errors import DomainError, NotFound
from app.core.timeutil import utcnow

TOKEN_PREFIX = "rhb_"  # noqa: S105  (a marker that makes leaked tokens easy to find, not a secret)
SECRET_BYTES = 32
PREFIX_LENGTH = len(TOKEN_PREFIX) + 8
NAME_MAX = 80
MAX_EXPIRY_DAYS = 3650
# Writing the last use on every request would turn every read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name, for example the system that will use it."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(_("Use at most %(n)d characters.", n=NAME_MAX), field="name")
    return name


def _expiry(expires_in_days: int | None, now: datetime) -> datetime | None:
    if expires_in_days is None:
        return None
    if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise DomainError(
            _("A token lasts between 1 and %(n)d days, or never expires.", n=MAX_EXPIRY_DAYS), field="expires_in_days"
        )
    return now + timedelta(days=expires_in_days)


def token_create(session: Session, user: User, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """A new token of ``user`` and its secret, which is never available again."""
    now = utcnow()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        user_id=user.id,
        name=_clean_name(name),
        token_hash=token_hash(secret),
        prefix=secret[:PREFIX_LENGTH],
        expires_at=_expiry(expires_in_days, now),
    )
    session.add(token)
    session.flush()
    return token, secret


def token_authenticate(session: Session, secret: str) -> User | None:
    """The owner of a usable token with this secret, or None; notes when the token was last used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    now = utcnow()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.flush()
    return token.user


def tokens_of_user(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included (they stay listed as revoked)."""
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    return list(session.scalars(query))


def token_of_user(session: Session, user: User, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("That token does not exist."))
    return token


def token_revoke(session: Session, token: ApiToken) -> ApiToken:
    """Refuse this token from now on (revoking twice changes nothing)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token
