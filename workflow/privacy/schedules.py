"""The django-q2 schedules of personal data: the request sweep and retention."""

SWEEP_REQUESTS = "privacy.sweep_requests"
APPLY_RETENTION = "privacy.apply_retention"


def ensure_privacy_schedules(schedule_model) -> None:
    """Every 5 minutes the data-request sweep; every day the retention run.

    Takes the model so that a migration can pass its own.
    """
    schedule_model.objects.update_or_create(
        name=SWEEP_REQUESTS,
        defaults={
            "func": "workflow.privacy.tasks.sweep_requests",
            "schedule_type": "I",  # every `minutes` minutes
            "minutes": 5,
            "repeats": -1,
        },
    )
    schedule_model.objects.update_or_create(
        name=APPLY_RETENTION,
        defaults={
            "func": "workflow.privacy.tasks.apply_retention",
            "schedule_type": "D",  # daily
            "repeats": -1,
        },
    )
