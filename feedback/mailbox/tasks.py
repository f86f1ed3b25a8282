"""django-q2 entry point: the mailbox poll (schedule created by migration 0002)."""

import logging

from django.utils import timezone

from feedback.mailbox import imap, services

logger = logging.getLogger(__name__)
POLL_SCHEDULE = "mailbox.poll"


def poll_mailbox() -> int:
    """Fetch new e-mails into drafts; does nothing unless MAILBOX_IMAP_HOST is set."""
    config = imap.MailboxConfig.from_settings()
    if config is None:
        return 0
    result = services.poll(config, now=timezone.now())
    if result.fetched:
        logger.info(
            "Mailbox %s: %s fetched, %s new drafts",
            config.label,
            result.fetched,
            result.stored,
        )
    return result.stored


def ensure_poll_schedule(schedule_model) -> None:
    """Every 2 minutes; takes the model so that a migration can pass its own."""
    schedule_model.objects.update_or_create(
        name=POLL_SCHEDULE,
        defaults={
            "func": "feedback.mailbox.tasks.poll_mailbox",
            "schedule_type": "I",
            "minutes": 2,
            "repeats": -1,
        },
    )
