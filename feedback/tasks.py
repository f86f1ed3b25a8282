"""django-q2 entry points of the citizen pages."""

from datetime import timedelta

from django.utils import timezone

from feedback.ratelimit import forget_old_windows

# Rate-limit windows last an hour at most; their keys name e-mail addresses and
# phone numbers (personal data), so a day later they go.
KEEP_WINDOWS = timedelta(days=1)


def forget_rate_limits() -> int:
    """Every day: delete the rate-limit counts older than KEEP_WINDOWS."""
    return forget_old_windows(before=timezone.now() - KEEP_WINDOWS)
