from datetime import UTC, datetime, timedelta

from feedback.models import RateLimitCounter
from feedback.ratelimit import forget_old_windows, hit

NOON = datetime(2026, 3, 2, 5, 0, 30, tzinfo=UTC)


def test_requests_within_the_limit_pass_and_the_next_is_refused_until_the_window_ends(
    db,
):
    verdicts = [
        hit("ip:1.2.3.4", limit=3, window=timedelta(minutes=1), now=NOON)
        for _ in range(4)
    ]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[-1].retry_at == datetime(2026, 3, 2, 5, 1, tzinfo=UTC)
    assert verdicts[-1].retry_after_seconds(NOON) == 31
    # A new window starts a new count; other keys are counted apart.
    later = hit(
        "ip:1.2.3.4",
        limit=3,
        window=timedelta(minutes=1),
        now=NOON + timedelta(minutes=1),
    )
    assert later.allowed is True
    assert later.count == 1
    assert hit("ip:5.6.7.8", limit=3, window=timedelta(minutes=1), now=NOON).count == 1


def test_old_windows_are_forgotten(db):
    hit("k", limit=1, window=timedelta(minutes=1), now=NOON)
    hit("k", limit=1, window=timedelta(minutes=1), now=NOON + timedelta(hours=2))
    assert forget_old_windows(before=NOON + timedelta(hours=1)) == 1
    assert RateLimitCounter.objects.count() == 1
