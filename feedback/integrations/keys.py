"""Issuing and checking API keys; counting each key's requests against its limit."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from feedback.integrations.models import DEFAULT_REQUESTS_PER_MINUTE, ApiKey
from feedback.ratelimit import Verdict, hit
from workflow.models import Integration

PREFIX_LENGTH = 8
# Far longer than any key we issue (43 characters); longer input is not a key.
MAX_KEY_LENGTH = 200
RATE_WINDOW = timedelta(minutes=1)
# last_used_at is refreshed at most this often: a write on every call would cost
# intake a second statement and make every worker queue on the key's row.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_key(
    *,
    name: str,
    now,
    requests_per_minute: int | None = DEFAULT_REQUESTS_PER_MINUTE,
    integration: str | None = None,
) -> tuple[ApiKey, str]:
    """Create a key for an integration; the returned key is never stored or shown again.

    The key reads what its integration filed: the integration named
    `integration` (created if new), by default one named as the key.
    `requests_per_minute` None means no limit.
    """
    name = name.strip()
    owner, _ = Integration.objects.get_or_create(
        name=(integration or name).strip(), defaults={"created_at": now}
    )
    key = secrets.token_urlsafe(32)
    api_key = ApiKey(
        name=name,
        integration=owner,
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        created_at=now,
        requests_per_minute=requests_per_minute,
    )
    api_key.save(force_insert=True)
    return api_key, key


@dataclass(frozen=True)
class Admission:
    api_key: ApiKey
    verdict: Verdict | None  # None: the key has no limit


# Keys are found by their hash (unique index). Looking a hash up by equality
# leaks nothing useful: nobody can choose what a key hashes to.
_FIND = f"SELECT * FROM {ApiKey._meta.db_table} WHERE key_hash = %s AND is_active"


def admit(key: str | None, *, now) -> Admission | None:
    """The active key matching `key` with this request counted against its limit;
    None for a missing, unknown or inactive key (nothing is counted then)."""
    key = (key or "").strip()
    if len(key) < PREFIX_LENGTH or len(key) > MAX_KEY_LENGTH:
        return None
    try:
        digest = hash_key(key)
    except UnicodeEncodeError:  # lone surrogates: not a key we issued
        return None
    found = _find(digest, now)
    if found is None:
        return None
    _touch(found, now)
    if found.requests_per_minute is None:
        return Admission(found, None)
    verdict = hit(
        f"apikey:{found.pk}",
        limit=found.requests_per_minute,
        window=RATE_WINDOW,
        now=now,
    )
    return Admission(found, verdict)


# A key found is remembered by the process this long: every API call needs its
# key, and at hundreds of calls a second reading it each time shows. So a key
# switched off, or given another limit, takes effect on every worker within
# this time (at once on the worker that switched it off).
KEY_MEMORY = timedelta(seconds=5)
_found: dict[str, tuple[ApiKey, object]] = {}  # key hash → (key, read at)


def _find(digest, now) -> ApiKey | None:
    remembered = _found.get(digest)
    if remembered is not None and timedelta(0) <= now - remembered[1] < KEY_MEMORY:
        return remembered[0]
    # Plain SQL: the ORM's query building would cost more than the look-up.
    found = next(iter(ApiKey.objects.raw(_FIND, [digest])), None)
    if found is None:  # unknown keys are not remembered: a new key works at once
        _found.pop(digest, None)
    else:
        _found[digest] = (found, now)
    return found


def forget_found_keys() -> None:
    _found.clear()


def deactivate_api_keys(queryset) -> int:
    """Switch keys off; they stay listed so that past use can be traced."""
    forget_found_keys()
    return queryset.filter(is_active=True).update(is_active=False)


def bearer_key(request) -> str | None:
    """The key of an `Authorization: Bearer <key>` header, if there is one."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return key.strip() or None


def _touch(api_key, now):
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
