"""Signed, expiring tokens for links in messages ("confirm your address", later "unsubscribe").

A token carries an id and the purpose it was made for, signed with SECRET_KEY (django.core.signing):
nothing is stored, a token made for one purpose is refused for another, and an old one expires.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

LINK_DAYS = timedelta(days=14)


def sign(purpose: str, value: int) -> str:
    return signing.dumps(value, salt=f"programs.mail.{purpose}")


def unsign(purpose: str, token: str, max_age: timedelta = LINK_DAYS) -> int | None:
    """The id a token was made for, or None when it is forged, for another purpose or expired."""
    try:
        value = signing.loads(token, salt=f"programs.mail.{purpose}", max_age=max_age)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
