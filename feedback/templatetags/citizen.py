"""Template filters of the citizen pages."""

from datetime import time, timedelta

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def deadline(value):
    """A deadline as people say it, in the current (Vietnamese) time zone.

    A period ends at 24:00 of its last day (Civil Code art. 148), stored as 00:00 of
    the next day; "end of 17/12" reads right where "00:00 18/12" misleads.
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    if local.time() == time(0, 0):
        last_day = local.date() - timedelta(days=1)
        return _("hết ngày %(date)s") % {"date": last_day.strftime("%d/%m/%Y")}
    return local.strftime("%H:%M %d/%m/%Y")


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
