"""The figures operators watch (config/metrics.py, config/health.py).

Each is one query over an index, cheap enough for a scrape every 15 seconds.
"""

from datetime import timedelta

from django.db.models import Count, Min, Q

from workflow.models import Clock, Petition
from workflow.models.petitions import OPEN_STATES
from workflow.queries import at_risk_q, overdue_q

SWEEP_TASK = "workflow.tasks.sweep_sla"
INTAKE_WINDOW = timedelta(minutes=5)


def open_petition_counts(*, now) -> dict[str, int]:
    """Open petitions nationwide: all, at risk, overdue (as the screens say)."""
    return Petition.objects.filter(state__in=OPEN_STATES).aggregate(
        open=Count("pk"),
        at_risk=Count("pk", filter=at_risk_q(now)),
        overdue=Count("pk", filter=overdue_q(now)),
    )


def sweep_lag_seconds(*, now) -> float:
    """How long the oldest due clock check has waited for the sweep (0: none due).

    A sweep that keeps up leaves nothing due for more than a minute; a growing
    lag means the sweep stopped or cannot keep up.
    """
    oldest = Clock.objects.filter(next_check_at__lte=now).aggregate(
        at=Min("next_check_at")
    )["at"]
    return (now - oldest).total_seconds() if oldest else 0.0


def last_sweep_at():
    """When the cluster last finished an SLA sweep successfully (None: never)."""
    from django_q.models import Task

    last = (
        Task.objects.filter(func=SWEEP_TASK, success=True)
        .order_by("-stopped")
        .values_list("stopped", flat=True)
        .first()
    )
    return last


def petitions_received(*, now) -> dict[str, int]:
    """Petitions received per channel in the last INTAKE_WINDOW (the intake rate)."""
    rows = (
        Petition.objects.filter(
            Q(received_at__gt=now - INTAKE_WINDOW) & Q(received_at__lte=now)
        )
        .values_list("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)
