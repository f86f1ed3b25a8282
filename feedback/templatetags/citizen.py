"""Template filters of the citizen pages."""

from django import template
from django.utils import formats

from workflow.templatetags.deadlines import deadline

register = template.Library()

# Citizens read deadlines as staff do: one wording on every page.
register.filter("deadline", deadline)


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
