from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(value) -> str:
    """A timedelta as days, hours and minutes ("2 ngày 0 giờ 30 phút")."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return _("%(days)d ngày %(hours)d giờ %(minutes)d phút") % {
        "days": days,
        "hours": hours,
        "minutes": minutes,
    }
