"""The django-q2 schedules the system needs, created idempotently."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

SWEEP_SLA = "workflow.sweep_sla"
CHECKPOINT = "workflow.take_checkpoint"
FOLD_FIGURES = "workflow.fold_report_figures"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def ensure_sweep_schedule(schedule_model) -> None:
    """Every minute: the SLA sweep and the report figures' fold. Takes the model so
    a migration can pass its own."""
    schedule_model.objects.update_or_create(
        name=SWEEP_SLA,
        defaults={
            "func": "workflow.tasks.sweep_sla",
            "schedule_type": "I",  # every `minutes` minutes
            "minutes": 1,
            "repeats": -1,
        },
    )
    # Every minute: pending report figures folded into the rollups.
    schedule_model.objects.update_or_create(
        name=FOLD_FIGURES,
        defaults={
            "func": "workflow.tasks.fold_report_figures",
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
        },
    )


def ensure_checkpoint_schedule(schedule_model, *, now, at: str) -> None:
    """Every day at `at` (HH:MM, Vietnam's time): the signed checkpoint."""
    hour, minute = (int(part) for part in at.split(":"))
    local = now.astimezone(LOCAL)
    next_run = datetime.combine(local.date(), time(hour, minute), tzinfo=LOCAL)
    if next_run <= local:
        next_run += timedelta(days=1)
    schedule_model.objects.update_or_create(
        name=CHECKPOINT,
        defaults={
            "func": "workflow.tasks.take_checkpoint",
            "schedule_type": "D",  # daily, from next_run
            "next_run": next_run,
            "repeats": -1,
        },
    )
