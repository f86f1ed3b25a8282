"""The outbox: one row per message, written in the same transaction as the event.

Rows carry ids and a template name, never rendered personal data, so the queue holds
nothing that is not already in the database. Delivery (notifications.tasks) is
at-least-once; `dedupe_key` makes writing the same event twice a no-op.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"
        WEBHOOK = "webhook", "Portal webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        SENT = "sent", "sent"
        FAILED = "failed", "failed"

    event = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The petition the message is about; a plain id keeps this app free of workflow.
    petition_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recipient_address = models.CharField(max_length=254, blank=True)
    language = models.CharField(max_length=5, default="vi")
    context = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The delivery sweep picks pending rows whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notification_pending_idx",
            ),
        ]

    def __str__(self):
        to = self.recipient_address or self.recipient_user_id
        return f"{self.event} → {to} ({self.status})"
