"""Signed links a customer opens without an account (an invoice mailing's confirmation, a
statement's answer): the signature is the authority, salted per use, with a maximum age.

The token names one row by its id; the caller turns `LinkInvalid` / `LinkExpired` into its own
translated error and decides what the row allows.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing


class LinkInvalid(Exception):
    """The token was changed, cut short, or names nothing under this key."""


class LinkExpired(Exception):
    """The signature is good but older than the link's maximum age."""


def link_token(*, salt: str, key: str, pk: int) -> str:
    """A URL-safe signed token naming row `pk` under `key`, for the use `salt` names."""
    return signing.dumps({key: pk}, salt=salt, compress=True)


def link_token_read(token: str, *, salt: str, key: str, max_age: timedelta) -> int:
    """The row id a token names; LinkInvalid when it was changed, LinkExpired when too old."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkInvalid from exc
    pk = data.get(key) if isinstance(data, dict) else None
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise LinkInvalid
    return pk
