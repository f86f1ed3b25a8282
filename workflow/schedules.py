"""The django-q2 schedules the system needs, created idempotently."""

SWEEP_SLA = "workflow.sweep_sla"


def ensure_sweep_schedule(schedule_model) -> None:
    """Every minute: the SLA sweep. Takes the model so a migration can pass its own."""
    schedule_model.objects.update_or_create(
        name=SWEEP_SLA,
        defaults={
            "func": "workflow.tasks.sweep_sla",
            "schedule_type": "I",  # every `minutes` minutes
            "minutes": 1,
            "repeats": -1,
        },
    )
