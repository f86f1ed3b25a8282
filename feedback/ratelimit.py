"""Fixed-window rate limits shared by all workers, counted in PostgreSQL."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection

from feedback.models import RateLimitCounter

TABLE = RateLimitCounter._meta.db_table


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_at: datetime  # when the current window ends

    def retry_after_seconds(self, now) -> int:
        return max(int((self.retry_at - now).total_seconds()) + 1, 1)


def hit(key: str, *, limit: int, window: timedelta, now: datetime) -> Verdict:
    """Count one request for `key`; allowed while the window's count stays within limit.

    One upsert per call, atomic under concurrency (the row lock of ON CONFLICT), so two
    workers never both take the last slot.
    """
    start = window_start(now, window)
    with connection.cursor() as cursor:
        cursor.execute(counting_sql("VALUES (%s, %s, 1)"), [key[:200], start])
        count = cursor.fetchone()[0]
    return verdict(count, limit=limit, start=start, window=window)


def counting_sql(rows: str) -> str:
    """The upsert counting one hit for each (key, window_start, 1) row of `rows`
    (VALUES or a SELECT), returning each key's new count."""
    return f"""
        INSERT INTO {TABLE} AS c (key, window_start, count) {rows}
        ON CONFLICT (key, window_start) DO UPDATE SET count = c.count + 1
        RETURNING count
    """


def window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int(window.total_seconds())
    return datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=now.tzinfo)


def verdict(count: int, *, limit: int, start: datetime, window: timedelta) -> Verdict:
    return Verdict(
        allowed=count <= limit, count=count, limit=limit, retry_at=start + window
    )


def forget_old_windows(*, before: datetime) -> int:
    deleted, _ = RateLimitCounter.objects.filter(window_start__lt=before).delete()
    return deleted
