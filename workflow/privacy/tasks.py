"""django-q2 entry points of personal data: each reads the clock once."""

from django.utils import timezone

from workflow.privacy import retention, sweeps


def sweep_requests() -> int:
    """Every 5 minutes: data-request alerts and breaches."""
    return sweeps.check_requests(now=timezone.now())


def apply_retention() -> int:
    """Every day: anonymise the petitions whose retention period is over."""
    return retention.apply_retention(now=timezone.now())
