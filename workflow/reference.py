"""Reference data, cached per process and checked against the database's version.

Every petition needs its category, units, routing rule, SLA targets, calendar and the
agency's staff: reading them from their tables on each intake was most of its cost.
They change rarely, through the admin, and every change bumps one version number
(triggers in migration 0009). A process keeps what it read under the version it read
it at and asks only for that number; another machine's change is seen at the next
call. Objects handed out are shared: callers read them and never change them.
"""

import threading

from django.db import connection

_lock = threading.Lock()
_current = None


class Reference:
    """What one version of the reference data says, filled as it is asked."""

    def __init__(self, version: int):
        self.version = version
        self._memo: dict = {}

    def get(self, key, load):
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = load()
            return value


def reference() -> Reference:
    """The cache for the reference data as the database has it now (one query)."""
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
