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
    seconds = int(window.total_seconds())
    start = datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=now.tzinfo)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {TABLE} AS c (key, window_start, count)
            VALUES (%s, %s, 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = c.count + 1
            RETURNING count
            """,
            [key[:200], start],
        )
        count = cursor.fetchone()[0]
    return Verdict(
        allowed=count <= limit, count=count, limit=limit, retry_at=start + window
    )


def forget_old_windows(*, before: datetime) -> int:
    deleted, _ = RateLimitCounter.objects.filter(window_start__lt=before).delete()
    return deleted
