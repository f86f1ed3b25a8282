"""Admin for reference data: agencies, categories and their targets, routing, staff.

Petitions and their history are read-only here: they change only through services.
"""

from django.contrib import admin

from workflow.models import (
    Agency,
    AnswerTemplate,
    Calendar,
    CalendarException,
    Category,
    Clock,
    Extension,
    HistoryEntry,
    Membership,
    Petition,
    RoutingRule,
    SlaAlert,
    SlaTarget,
)
from workflow.privacy import reads


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "level",
        "parent",
        "province",
        "requires_answer_review",
    ]
    list_filter = ["level", "requires_answer_review", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "province", "commune"]


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active"]
    search_fields = ["name", "code"]
    inlines = [SlaTargetInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "province", "commune", "agency"]
    list_filter = ["category"]
    autocomplete_fields = ["category", "province", "commune", "agency"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "agency__name"]
    autocomplete_fields = ["user", "agency"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "title", "state", "agency", "received_at"]
    list_filter = ["state", "channel", "category"]
    search_fields = ["tracking_code", "title"]
    list_select_related = ["agency"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The page shows the submitter's contact: a read, logged like the case page.
        petition = self.get_object(request, object_id)
        if petition is not None:
            reads.record_read(
                user=request.user, petition=petition, what=reads.What.ADMIN
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(HistoryEntry)
class HistoryEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "petition",
        "seq",
        "action",
        "from_state",
        "to_state",
        "actor_label",
        "at",
    ]
    list_filter = ["action"]
    list_select_related = ["petition"]


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 1


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    """Days off decided late and make-up working days; saving re-lays out deadlines."""

    list_display = ["name", "end_of_day"]
    inlines = [CalendarExceptionInline]


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category"]
    list_filter = ["category"]


@admin.register(Clock)
class ClockAdmin(ReadOnlyAdmin):
    list_display = ["petition", "kind", "cycle", "due_at", "stopped_at", "breached_at"]
    list_filter = ["kind"]
    list_select_related = ["petition"]


@admin.register(SlaAlert)
class SlaAlertAdmin(ReadOnlyAdmin):
    list_display = ["clock", "kind", "at", "recorded_at"]
    list_filter = ["kind"]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ["petition", "days", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
