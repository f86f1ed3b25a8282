"""The national calendar's working days as a table, so SQL counts them like Python.

`WorkingDay.number` numbers the working days of FIRST_DAY..LAST_DAY; the figure rules
subtract two numbers to count working days (Civil Code art. 147: the first day is
not counted). The table follows the national calendar (the `holidays` package
and the national calendar's exceptions).
"""

from datetime import date, timedelta

from django.db import connection, transaction

from config.bulk import copy_values

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2060, 12, 31)


def working_day_numbers(calendar, first=FIRST_DAY, last=LAST_DAY):
    """(day, number) for every day of first..last on the calendar."""
    rows, number, day = [], 0, first
    while day <= last:
        number += calendar.is_working_day(day)
        rows.append((day, number))
        day += timedelta(days=1)
    return rows


@transaction.atomic
def sync_working_days(calendar=None) -> bool:
    """Make the table match the calendar; True when it changed.

    Cheap when nothing changed (one read), so it runs after every migrate and
    whenever the national calendar is edited.
    """
    from workflow.sla import national_calendar_now

    wanted = working_day_numbers(calendar or national_calendar_now())
    with connection.cursor() as cursor:
        cursor.execute("SELECT day, number FROM workflow_workingday ORDER BY day")
        if cursor.fetchall() == wanted:
            return False
        cursor.execute("DELETE FROM workflow_workingday")
    copy_values("workflow_workingday", ["day", "number"], wanted)
    return True
