"""Secrets that wait in the outbox are sealed until the message is out.

The confirmation e-mail carries the submitter's secret; until it is delivered the
row waits in the database, where a dump or a backup would show it. Such context
values are encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from
`cryptography`) when the row is written and opened only to render the message.
After delivery they are dropped (notifications.services.ONCE_ONLY_KEYS).

Keys: NOTIFICATION_SEALING_KEYS (newest first; older ones still open rows sealed
before a rotation), else one key derived from SECRET_KEY and each of
SECRET_KEY_FALLBACKS, so a server with a proper SECRET_KEY is sealed without
further set-up.
"""

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# The context keys that are sealed at rest: the ones that may wait only until
# the message is out.
SEALED_KEYS = ("secret",)
MARK = "sealed:"


class Unsealable(Exception):
    """No configured key opens the value (the keys changed while it waited)."""


def derived_key(secret_key: str) -> bytes:
    """A Fernet key derived from a Django SECRET_KEY (HKDF-SHA256)."""
    raw = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"pakn outbox sealing"
    ).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw)


def sealing_keys() -> list[bytes]:
    return list(_keys_from(*_configured()))


def _configured() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The settings the keys come from, as read now."""
    return (
        tuple(settings.NOTIFICATION_SEALING_KEYS or ()),
        (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])),
    )


@functools.lru_cache(maxsize=4)
def _keys_from(sealing: tuple[str, ...], secret_keys: tuple[str, ...]):
    if sealing:
        return tuple(key.encode() for key in sealing)
    return tuple(derived_key(key) for key in secret_keys)


@functools.lru_cache(maxsize=4)
def _fernet_for(sealing, secret_keys) -> MultiFernet:
    # Derived once per set of settings: every confirmation e-mail queued at intake
    # is sealed, and the derivation cost more than the encryption.
    return MultiFernet([Fernet(key) for key in _keys_from(sealing, secret_keys)])


def _fernet() -> MultiFernet:
    return _fernet_for(*_configured())


def seal_context(context: dict) -> dict:
    """The context with its SEALED_KEYS encrypted (read keys at call time)."""
    if not any(context.get(key) for key in SEALED_KEYS):
        return context
    fernet = _fernet()
    return {
        key: (
            MARK + fernet.encrypt(str(value).encode()).decode()
            if key in SEALED_KEYS and value
            else value
        )
        for key, value in context.items()
    }


def open_context(context: dict) -> dict:
    """The context with sealed values opened again, for rendering only."""
    sealed = [k for k in SEALED_KEYS if str(context.get(k, "")).startswith(MARK)]
    if not sealed:
        return context
    fernet = _fernet()
    opened = dict(context)
    for key in sealed:
        try:
            opened[key] = fernet.decrypt(context[key][len(MARK) :].encode()).decode()
        except InvalidToken:
            raise Unsealable(
                f"The sealed {key!r} of this message opens with none of the "
                "configured keys (NOTIFICATION_SEALING_KEYS or SECRET_KEY changed "
                "while it waited)."
            ) from None
    return opened
