"""API keys in the admin: list, create (the key is shown once), switch off."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.integrations.keys import deactivate_api_keys, issue_api_key
from feedback.integrations.models import ApiKey
from workflow.models import Integration


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "integration",
        "prefix",
        "is_active",
        "requests_per_minute",
        "created_at",
        "last_used_at",
    )
    list_filter = ("is_active", "integration")
    search_fields = ("name", "prefix")
    actions = ("deactivate",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "integration", "requests_per_minute")
        return (
            "name",
            "integration",
            "prefix",
            "is_active",
            "requests_per_minute",
            "created_at",
            "last_used_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A key's integration decides what it reads: never moved to another.
        return ("integration", "prefix", "created_at", "last_used_at")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            field = form.base_fields["integration"]
            field.required = False
            field.help_text = _(
                "Để trống: một hệ thống kết nối mới mang tên của khoá. Chọn một hệ "
                "thống có sẵn để cấp thêm khoá cho hệ thống đó (khoá mới đọc được "
                "các phản ánh hệ thống đó đã gửi)."
            )
        return form

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        api_key, key = issue_api_key(
            name=obj.name,
            requests_per_minute=obj.requests_per_minute,
            integration=obj.integration.name if obj.integration_id else None,
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


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    """The systems that file through the machine doors; each key belongs to one."""

    list_display = ("name", "created_at")
    search_fields = ("name",)
    readonly_fields = ("created_at",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # What an integration filed stays traceable to it.
        return False
