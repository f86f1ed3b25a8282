"""Template filters of the citizen pages."""

from django import template
from django.utils import formats
from django.utils.translation import get_language

from workflow.templatetags.deadlines import deadline

register = template.Library()

# Citizens read deadlines as staff do: one wording on every page.
register.filter("deadline", deadline)


@register.filter
def as_lead_in(label):
    """A field's label before a colon: a label that is a sentence ("…như trên.")
    loses its full stop, so that the summary does not read ".:"."""
    return str(label).rstrip().rstrip(".:;")


@register.filter
def human_size(size_bytes):
    """A file size as people read it: "812 B", "17 KB", "2,4 MB" (1 KB = 1024 B)."""
    if size_bytes is None:
        return ""
    if size_bytes < 1024:
        return f"{size_bytes} B"
    if size_bytes < 1024 * 1024:
        return f"{round(size_bytes / 1024)} KB"
    return formats.number_format(round(size_bytes / (1024 * 1024), 1), 1) + " MB"


@register.filter
def notice_text(notice):
    """A consent notice in the page's language (Vietnamese when no translation)."""
    return notice.text(get_language()) if notice is not None else ""


@register.filter
def request_url(scope, item):
    """The page of a data request, in the scope it is seen from."""
    return scope.url("data_request", request_code=item.code)


@register.filter
def requests_url(scope):
    return scope.url("data_requests")


@register.filter
def export_url(scope, item):
    """The export's address without its extension ("json" or "html" follows)."""
    return scope.url("data_export", request_code=item.code, fmt="x")[:-1]
