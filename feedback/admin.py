"""Admin views of what submitters sent: read-only, changed only through services."""

from django.contrib import admin

from feedback.models import Attachment, Rating
from workflow.admin import ReadOnlyAdmin


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "petition", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type", "stage"]
    search_fields = ["petition__tracking_code", "original_name"]
    list_select_related = ["petition"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["petition", "score", "rated_at"]
    list_filter = ["score"]
    search_fields = ["petition__tracking_code"]
    list_select_related = ["petition"]
