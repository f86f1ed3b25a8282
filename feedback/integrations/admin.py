"""API keys in the admin: list, create (the key is shown once), switch off."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.integrations.keys import deactivate_api_keys, issue_api_key
from feedback.integrations.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "prefix",
        "is_active",
        "requests_per_minute",
        "created_at",
        "last_used_at",
    )
    list_filter = ("is_active",)
    search_fields = ("name", "prefix")
    actions = ("deactivate",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "requests_per_minute")
        return (
            "name",
            "prefix",
            "is_active",
            "requests_per_minute",
            "created_at",
            "last_used_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("prefix", "created_at", "last_used_at")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        api_key, key = issue_api_key(
            name=obj.name,
            requests_per_minute=obj.requests_per_minute,
            now=timezone.now(),
        )
        obj.pk = api_key.pk
        # The key exists only in this message: it is stored as a hash.
        self.message_user(
            request,
            _("Khoá API của %(name)s (chỉ hiện một lần, hãy lưu lại ngay): %(key)s")
            % {"name": api_key.name, "key": key},
            messages.WARNING,
        )

    def has_delete_permission(self, request, obj=None):
        # Keys are switched off, not deleted, so that past use stays traceable.
        return False

    @admin.action(description=_("Vô hiệu hoá các khoá đã chọn"))
    def deactivate(self, request, queryset):
        count = deactivate_api_keys(queryset)
        self.message_user(
            request, _("Đã vô hiệu hoá %(count)d khoá.") % {"count": count}
        )
