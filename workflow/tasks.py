"""django-q2 entry points: each reads the clock once and calls one piece of workflow."""

from django.conf import settings
from django.utils import timezone

from workflow import recompute, sweeps
from workflow.reports import calendar as working_days
from workflow.reports import rollup


def sweep_sla() -> dict:
    """Every minute: record due warnings and breaches, expire unanswered questions."""
    now = timezone.now()
    done = sweeps.sweep(now=now, workers=settings.SLA_SWEEP_WORKERS)
    done["expired"] = sweeps.expire_unanswered(now=now)
    return dict(done)


def take_checkpoint() -> int:
    """Every day at AUDIT_CHECKPOINT_TIME: seal all history heads (its number)."""
    from workflow.proof.checkpoints import take_checkpoint

    return take_checkpoint(now=timezone.now()).number


def recompute_clocks(*, calendar_id=None, category_id=None) -> int:
    """After an admin changed a calendar or a category's targets.

    A change of the national calendar also renumbers the working days the
    auditor figures count with, and rebuilds the rollups from the history.
    """
    changed = recompute.recompute_open_clocks(
        calendar_id=calendar_id, category_id=category_id, now=timezone.now()
    )
    if calendar_id is not None and working_days.sync_working_days():
        rollup.rebuild()
    return changed


def fold_report_figures() -> int:
    """Every minute: fold the figures the history trigger booked into the rollups."""
    return rollup.fold_pending()


def close_report_period(*, start_on, end_on, user_id=None) -> int:
    """An admin closed a period (chốt số liệu): compute and store its figures."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from workflow.reports import closing
    from workflow.reports.periods import Period

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    period = Period(date.fromisoformat(start_on), date.fromisoformat(end_on))
    return closing.close_period(period, user=user, now=timezone.now()).pk
