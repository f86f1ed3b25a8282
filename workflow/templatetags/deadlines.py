"""How every page writes a deadline, a moment and the working days left to it.

One wording for citizens, staff, auditors and the printed documents: the last day
("hết ngày 16/12/2026"), with the hour only when a calendar ends its days before
24:00, and "còn 3 ngày làm việc" / "quá hạn 2 ngày làm việc" beside it; a moment
such as a receipt as "10:46 ngày 04/12/2026" ("10:46 on 04/12/2026").
"""

from datetime import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workflow.deadlines import VIETNAM, DaysLeft, Deadline, deadline_as_read

register = template.Library()


def _time_on_day(time: str, day: str) -> str:
    # One message for "hour on day": "ngày" alone is also the unit "days".
    return _("%(time)s ngày %(date)s") % {"time": time, "date": day}


@register.filter
def deadline(value: datetime | Deadline | None) -> str:
    """A stored deadline (or one already read) as its last day."""
    if value is None or value == "":
        return ""
    read = value if isinstance(value, Deadline) else deadline_as_read(value)
    day = read.last_day.strftime("%d/%m/%Y")
    if read.ends_at is None:
        return _("hết ngày %(date)s") % {"date": day}
    return _time_on_day(read.ends_at, day)


@register.filter
def moment(value: datetime | None) -> str:
    """A moment (a receipt, an entry) as its hour on its day, in Vietnam's time."""
    if value is None or value == "":
        return ""
    local = value.astimezone(VIETNAM)
    return _time_on_day(local.strftime("%H:%M"), local.strftime("%d/%m/%Y"))


@register.filter
def deadline_day(value: datetime | None) -> str:
    """A stored deadline as its last day and no words ("25/12/2026", "17:00
    25/12/2026"), for SMS, which are written without diacritics."""
    if value is None or value == "":
        return ""
    read = deadline_as_read(value)
    day = read.last_day.strftime("%d/%m/%Y")
    return day if read.ends_at is None else f"{read.ends_at} {day}"


@register.filter
def days_left(value: DaysLeft | None) -> str:
    """Working days left to a deadline, or past it."""
    if value is None:
        return ""
    if value.is_overdue:
        if value.days == 0:
            return _("đã quá hạn")
        return ngettext(
            "quá hạn %(days)d ngày làm việc",
            "quá hạn %(days)d ngày làm việc",
            value.days,
        ) % {"days": value.days}
    if value.days == 0:
        return _("hết hạn trong hôm nay")
    return ngettext(
        "còn %(days)d ngày làm việc", "còn %(days)d ngày làm việc", value.days
    ) % {"days": value.days}
