"""Email through Django's email backends (console in the demo, locmem in tests)."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from notifications.channels import PermanentFailure


def message_id(idempotency_key: str) -> str:
    """The Message-ID of every attempt of one notification: mail systems and readers
    that deduplicate on it show a repeated delivery once."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return f"<{idempotency_key}@{domain or 'pakn.localhost'}>"


def send(*, to: str, subject: str, body: str, idempotency_key: str) -> None:
    if not to:
        raise PermanentFailure("The notification has no email address.")
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id(idempotency_key)},
    ).send()
