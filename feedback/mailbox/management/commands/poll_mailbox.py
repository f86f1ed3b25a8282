from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.mailbox import imap, services


class Command(BaseCommand):
    help = "Fetch new e-mails from the agency's mailbox (IMAP) into triage drafts."

    def handle(self, *args, **options):
        config = imap.MailboxConfig.from_settings()
        if config is None:
            raise CommandError(
                "No mailbox configured: set MAILBOX_IMAP_HOST, MAILBOX_IMAP_USER and "
                "MAILBOX_IMAP_PASSWORD (docs/staff.md)."
            )
        try:
            result = services.poll(config, now=timezone.now())
        except imap.MailboxError as error:
            raise CommandError(f"The mailbox could not be read: {error}") from None
        self.stdout.write(
            f"{config.label}: {result.fetched} fetched, {result.stored} new drafts."
        )
