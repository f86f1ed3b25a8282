"""Reference data, cached per process and checked against the database's version.

Every petition needs its category, units, routing rule, SLA targets, calendar and the
agency's staff: reading them from their tables on each intake was most of its cost.
They change rarely, through the admin, and every change bumps one version number
(triggers in migration 0009). A process keeps what it read under the version it read
it at and asks only for that number; another machine's change is seen at the next
call. Objects handed out are shared: callers read them and never change them.
"""

import threading
from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connection

_lock = threading.Lock()
_current = None
_held: ContextVar = ContextVar("reference", default=None)


T = TypeVar("T")


class Reference:
    """What one version of the reference data says, filled as it is asked."""

    def __init__(self, version: int):
        self.version = version
        self._memo: dict[Hashable, Any] = {}

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = load()
            return value


@contextmanager
def held_reference():
    """Within the block, reference() asks the database for the version only once
    (a batch reads one version of the reference data for all its petitions)."""
    token = _held.set(reference())
    try:
        yield _held.get()
    finally:
        _held.reset(token)


def reference() -> Reference:
    """The cache for the reference data as the database has it now (one query)."""
    held = _held.get()
    if held is not None:
        return held
    global _current
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM workflow_reference_version WHERE id = 1")
        version = cursor.fetchone()[0]
    current = _current
    if current is None or current.version != version:
        with _lock:
            if _current is None or _current.version != version:
                _current = Reference(version)
            current = _current
    return current
