"""Reports read from a streaming replica when REPORTS_DATABASE_URL is set.

The interface for report code is one name: `reads_reports`, a decorator for a view
or a context manager (`with reads_reports(): ...`). Inside it every read of the
product's tables goes to the `reports` database alias, a streaming replica of the
primary; writes, sign-in, sessions and everything outside go to `default`. Without
REPORTS_DATABASE_URL there is no `reports` alias and nothing changes. A report's
figures are then as of the replica's last replayed transaction: `replica_lag()`
says how far behind that is, and staff pages show it (`reports_freshness`).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import connections

REPORTS = "reports"
# The product's own tables; auth, sessions, two-factor devices and lockouts stay on
# the primary, where a sign-in a moment ago is already visible.
REPLICATED_APPS = frozenset(
    {"workflow", "areas", "feedback", "integrations", "notifications"}
)
_reading_reports: ContextVar[bool] = ContextVar("reading reports", default=False)


def has_reports_database() -> bool:
    return REPORTS in connections.settings


def is_reading_reports() -> bool:
    return _reading_reports.get() and has_reports_database()


def reads_reports(view=None):
    """`@reads_reports` on a view, or `with reads_reports():` around a block: the
    reads inside go to the replica (when there is one).

    On a view it also covers a streamed response (a CSV export is read while it
    is sent, after the view returned).
    """
    if view is None:
        return _reading()

    @wraps(view)
    def wrapped(*args, **kwargs):
        with _reading():
            response = view(*args, **kwargs)
        if getattr(response, "streaming", False):
            response.streaming_content = _streamed(response.streaming_content)
        return response

    return wrapped


@contextmanager
def _reading():
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def _streamed(chunks):
    with _reading():
        yield from chunks


class ReportsRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in REPLICATED_APPS and is_reading_reports():
            return REPORTS
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from one may point
        # at an object read from the other.
        return {obj1._state.db, obj2._state.db} <= {"default", REPORTS}

    def allow_migrate(self, db, app_label, **hints):
        return db != REPORTS  # a replica follows the primary's schema


# Lag: nothing received that is not replayed means caught up; otherwise the age of
# the last replayed transaction (PostgreSQL's own advice for streaming replicas).
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN NULL
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END
"""


def replica_lag() -> float | None:
    """Seconds the replica is behind (None: no replica configured, or not one)."""
    if not has_reports_database():
        return None
    with connections[REPORTS].cursor() as cursor:
        cursor.execute(LAG_SQL)
        lag = cursor.fetchone()[0]
    return None if lag is None else float(lag)


def reports_freshness(request):
    """Context processor: how old a report's figures may be, on replica reads."""
    if not is_reading_reports():
        return {}
    lag = replica_lag()
    return {"reports_lag": lag, "reports_lag_seconds": round(lag or 0)}
