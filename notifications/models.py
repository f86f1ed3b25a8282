"""The outbox: one row per message, written in the same transaction as the event.

Rows carry ids, a template name and a small context, never rendered text, and the task
queue carries only row ids. Delivery (notifications.services.deliver) is
at-least-once: a row is claimed (pending → sending, with a lease) before it is sent,
and `delivery_key` travels with every attempt so that a receiver can recognise a
repeat. `dedupe_key` makes writing the same event twice a no-op.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"
        WEBHOOK = "webhook", _("Webhook Cổng DVC quốc gia")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")

    event = models.CharField(_("sự kiện"), max_length=40)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    # The petition the message is about; a plain id keeps this app free of workflow.
    petition_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recipient_address = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=5, default="vi")
    context = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # Sent with every attempt (Message-ID, Idempotency-Key): a receiver that sees the
    # same key twice is looking at a repeated delivery, not a new message.
    delivery_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Attempts started, counted when a row is claimed: a worker that dies mid-send
    # has used one.
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    # When the row may be sent (first try, back-off, or office hours for warnings).
    next_attempt_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    # While sending: the claim's lease. Past it, the worker is presumed dead and the
    # row goes back to pending (notifications.services.release_expired_claims).
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    sent_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = pgettext_lazy("plural", "thông báo")
        indexes = [
            # notifications.services.deliver_due_batch: pending rows whose time came.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notification_pending_idx",
            ),
            # notifications.services.release_expired_claims: leases of dead workers.
            models.Index(
                fields=["claimed_until"],
                condition=Q(status="sending"),
                name="notification_sending_idx",
            ),
            # notifications.queries.outbox_by_channel: failed rows for the metrics.
            models.Index(
                fields=["channel"],
                condition=Q(status="failed"),
                name="notification_failed_idx",
            ),
        ]

    def __str__(self):
        to = self.recipient_address or self.recipient_user_id or self.channel
        return f"{self.event} → {to} ({self.status})"
