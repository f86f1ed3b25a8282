"""The django-q2 schedule of the citizen pages, created idempotently."""

FORGET_RATE_LIMITS = "feedback.forget_rate_limits"


def ensure_feedback_schedules(schedule_model) -> None:
    """Every day: old rate-limit counts (keyed by e-mail and phone) are deleted."""
    schedule_model.objects.update_or_create(
        name=FORGET_RATE_LIMITS,
        defaults={
            "func": "feedback.tasks.forget_rate_limits",
            "schedule_type": "D",  # daily
            "repeats": -1,
        },
    )
