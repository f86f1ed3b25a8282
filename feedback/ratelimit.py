"""Fixed-window rate limits shared by all workers, counted in PostgreSQL.

Each process also keeps its own tally and adds its hits to the shared count in
one write now and then, while the limit is far: at hundreds of requests a second
a write per request, all on the key's one row, costs more than the requests'
own work. Near the limit every hit is written, so the verdicts there are exact;
far from it the shared count may lag by a tenth of the room left per process.
"""

import threading
import time
from dataclasses import dataclass, field
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

    A written hit is one upsert, atomic under concurrency (the row lock of ON
    CONFLICT), so two workers never both take the last slot.
    """
    key = key[:200]  # the column's length
    seconds = int(window.total_seconds())
    start = datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=now.tzinfo)
    to_add = tallies.hit(key, start, limit)
    if to_add:
        with connection.cursor() as cursor:
            cursor.execute(_ADD_HITS, [key, start, to_add])
            tallies.written(key, start, cursor.fetchone()[0])
    count = tallies.count(key, start)
    return Verdict(
        allowed=count <= limit, count=count, limit=limit, retry_at=start + window
    )


_ADD_HITS = f"""
    INSERT INTO {TABLE} AS c (key, window_start, count) VALUES (%s, %s, %s)
    ON CONFLICT (key, window_start) DO UPDATE SET count = c.count + EXCLUDED.count
    RETURNING count
"""

# A process writes its hits once they reach this share of the room left under
# the limit, or when its last write is this old.
SHARE_OF_ROOM = 10
WRITE_EVERY_SECONDS = 0.25


@dataclass
class _Tally:
    shared: int = 0  # the shared count after this process's last write
    unwritten: int = 0  # hits counted here since
    written_at: float = field(default_factory=time.monotonic)


class Tallies:
    """This process's hits per (key, window start), and when to write them."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tallies: dict[tuple[str, datetime], _Tally] = {}

    def hit(self, key, start, limit) -> int:
        """Count a hit; how many hits to add to the shared count now (0: later).

        The first hit of a window is always written: it learns the shared count.
        """
        with self._lock:
            tally = self._tallies.get((key, start))
            if tally is None:
                self._forget_before(start)
                self._tallies[(key, start)] = _Tally()
                return 1
            tally.unwritten += 1
            room = limit - tally.shared
            now = time.monotonic()
            if (
                tally.unwritten > room // SHARE_OF_ROOM
                or now - tally.written_at > WRITE_EVERY_SECONDS
            ):
                # The write is this caller's from now on: the threads hitting
                # meanwhile count on, instead of each writing (and queueing on
                # the key's row) until the first write returns.
                to_add, tally.unwritten = tally.unwritten, 0
                tally.written_at = now
                return to_add
            return 0

    def written(self, key, start, shared) -> None:
        with self._lock:
            tally = self._tallies.setdefault((key, start), _Tally())
            tally.shared = max(tally.shared, shared)
            tally.written_at = time.monotonic()

    def count(self, key, start) -> int:
        """The shared count as this process knows it, with its unwritten hits."""
        with self._lock:
            tally = self._tallies.get((key, start))
            return tally.shared + tally.unwritten if tally else 0

    def clear(self) -> None:
        """Forget every tally (tests start each from an empty database)."""
        with self._lock:
            self._tallies.clear()

    def _forget_before(self, start):
        for old in [k for k in self._tallies if k[1] < start]:
            del self._tallies[old]


tallies = Tallies()


def forget_old_windows(*, before: datetime) -> int:
    deleted, _ = RateLimitCounter.objects.filter(window_start__lt=before).delete()
    return deleted
