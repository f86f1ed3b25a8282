"""Admin: the breach register, notices, request deadlines, retention periods.

Consents, data requests, identities and reads are records: read-only here.
"""

from django.contrib import admin

from workflow.admin import ReadOnlyAdmin
from workflow.privacy.models import (
    Breach,
    CitizenIdentity,
    Consent,
    ConsentNotice,
    DataRequest,
    PersonalDataRead,
    RequestDeadline,
    RetentionPolicy,
)


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    list_display = [
        "detected_at",
        "description",
        "subjects_affected",
        "reported_to",
        "reported_at",
        "subjects_notified_at",
    ]
    date_hierarchy = "detected_at"
    search_fields = ["description", "scope", "reported_to"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ConsentNotice)
class ConsentNoticeAdmin(admin.ModelAdmin):
    """A published text is never edited: a change is a new version."""

    list_display = ["purpose", "version", "published_at"]
    list_filter = ["purpose"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["purpose", "version", "text_vi", "text_en", "published_at"]
        return []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RequestDeadline)
class RequestDeadlineAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "first_reply_amount",
        "first_reply_unit",
        "completion_amount",
        "completion_unit",
    ]


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "keep_days"]
    autocomplete_fields = ["category"]


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "state", "received_at", "due_at", "breached_at"]
    list_filter = ["kind", "state"]
    search_fields = ["code"]
    exclude = ["details", "corrections", "first_reply", "outcome"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = [
        "petition",
        "purpose",
        "basis",
        "notice",
        "given_at",
        "withdrawn_at",
    ]
    list_filter = ["purpose", "basis"]
    raw_id_fields = ["petition"]


@admin.register(CitizenIdentity)
class CitizenIdentityAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "created_at", "last_login_at"]


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "petition", "what", "attachment_id"]
    list_filter = ["what"]
    raw_id_fields = ["petition"]
    date_hierarchy = "at"
