"""The outbox in the admin: read-only rows, failures with their error, and "retry".

Rows change only through notifications.services; the retry action is one call.
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import services
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "event",
        "channel",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "error_excerpt",
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["=id", "=petition_id", "recipient_address", "=delivery_key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    list_per_page = 50
    fields = [
        "event",
        "channel",
        "status",
        "petition_id",
        "recipient_user",
        "recipient_address",
        "language",
        "context",
        "attempts",
        "next_attempt_at",
        "claimed_until",
        "last_error",
        "created_at",
        "sent_at",
        "delivery_key",
        "dedupe_key",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing only: the change form is read-only, saving is refused.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        # Rows are never edited in the admin; the change permission grants retry.
        return request.user.has_perm("notifications.change_notification")

    @admin.display(description=_("người nhận"))
    def recipient(self, row):
        if row.channel == Notification.Channel.WEBHOOK:
            return _("Cổng DVC quốc gia")
        return row.recipient_address or row.recipient_user_id

    @admin.display(description=_("lỗi gần nhất"))
    def error_excerpt(self, row):
        return row.last_error[:120]

    @admin.action(
        description=_("Gửi lại các thông báo không thành công đã chọn"),
        permissions=["retry"],
    )
    def retry(self, request, queryset):
        count = services.retry_notifications(
            ids=queryset.values_list("pk", flat=True), now=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "Đã đưa %(count)d thông báo trở lại hàng gửi.",
                "Đã đưa %(count)d thông báo trở lại hàng gửi.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
