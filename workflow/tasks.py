"""django-q2 entry points: each reads the clock once and calls one piece of workflow."""

from django.conf import settings
from django.utils import timezone

from workflow import recompute, sweeps


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
    """After an admin changed a calendar or a category's targets."""
    return recompute.recompute_open_clocks(
        calendar_id=calendar_id, category_id=category_id, now=timezone.now()
    )
