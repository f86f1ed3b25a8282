"""E-mails fetched from the agency's mailbox, each a draft until a coordinator
confirms it as a petition or rejects it.

The message is kept as it arrived (the .eml file), so that nothing a sender wrote
or attached is lost whatever the coordinator decides.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflow.models import Petition


class InboundEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        CONFIRMED = "confirmed", _("Đã tiếp nhận thành phản ánh")
        REJECTED = "rejected", _("Không tiếp nhận")

    # SHA-256 of the Message-ID (or of the whole message when it has none): the
    # same message fetched twice is one draft.
    message_key = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(max_length=998, blank=True)
    mailbox = models.CharField(max_length=300)
    uid = models.PositiveBigIntegerField(null=True, blank=True)
    # When the agency's mail server received it (IMAP INTERNALDATE): the receipt
    # moment of the petition it may become.
    received_at = models.DateTimeField()
    fetched_at = models.DateTimeField()
    sender_name = models.CharField(max_length=200, blank=True)
    sender_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    attachment_count = models.PositiveSmallIntegerField(default=0)
    raw = models.FileField(upload_to="inbound/", max_length=200)
    size = models.PositiveIntegerField()

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    rejection_reason = models.TextField(blank=True)
    petition = models.OneToOneField(
        Petition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_email",
    )

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [
            # feedback.mailbox.queries.pending_drafts: the triage desk's drafts.
            models.Index(
                fields=["received_at"],
                condition=Q(status="pending"),
                name="inbound_pending_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(petition__isnull=False),
                name="confirmed_draft_has_petition",
            ),
        ]

    def __str__(self):
        return f"{self.sender_address}: {self.subject}"
