"""What the auditor figures are kept in: daily and monthly rollups, closed periods.

The figures themselves are defined in `workflow.reports`; these tables only hold
them. Every count here is derived from the append-only history by the rules in
`workflow.reports.rules`, and `manage.py verify_report` recomputes them from it.
"""

from django.conf import settings
from django.db import models

from workflow.models.agencies import staff_name

# The counts every rollup row carries, in this order (workflow.reports.rules writes
# them, workflow.reports.figures reads them): what happened on the day, then the
# stocks. Stock counts (open_*) are changes: +1 when a petition enters the status,
# -1 when it leaves it, so that the stock at the end of a day is the sum of every
# change dated up to that day.
FLOWS = (
    "received",
    "reopened",
    "moved_in",
    "moved_out",
    "not_accepted",
    "resolved_on_time",
    "resolved_late",
    "ended_otherwise",
    "working_days",
    "case_breaches",
    "triage_breaches",
    "accept_breaches",
    "reply_lapses",
)
STOCKS = ("open_within", "open_overdue", "open_waiting")
COUNTS = FLOWS + STOCKS


class _Counts(models.Model):
    received = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    moved_in = models.IntegerField(default=0)
    moved_out = models.IntegerField(default=0)
    not_accepted = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    ended_otherwise = models.IntegerField(default=0)
    working_days = models.IntegerField(default=0)
    case_breaches = models.IntegerField(default=0)
    triage_breaches = models.IntegerField(default=0)
    accept_breaches = models.IntegerField(default=0)
    reply_lapses = models.IntegerField(default=0)
    open_within = models.IntegerField(default=0)
    open_overdue = models.IntegerField(default=0)
    open_waiting = models.IntegerField(default=0)

    class Meta:
        abstract = True


class PendingFigures(_Counts):
    """Changes written by the history trigger, not yet folded into ReportFigures.

    Insert-only, so that concurrent steps never wait for each other on a shared
    counter; `workflow.reports.rollup.fold_pending` moves them every minute, and
    readers add what is still here.
    """

    day = models.DateField()
    agency_id = models.BigIntegerField(null=True)
    province_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    channel = models.CharField(max_length=20)

    def __str__(self):
        return f"{self.day} {self.agency_id}/{self.province_id}/{self.channel}"


class ReportFigures(_Counts):
    """The counts of one day or month for one agency, province, category or channel."""

    class Span(models.TextChoices):
        DAY = "day"
        MONTH = "month"

    span = models.CharField(max_length=5, choices=Span.choices)
    # total (key ""), agency (its id, "" for the triage desk), province, category
    # (ids) or channel (its code).
    dimension = models.CharField(max_length=10)
    key = models.CharField(max_length=20)
    # The day, or the first day of the month.
    on = models.DateField()

    class Meta:
        constraints = [
            # The fold upserts on it; readers scan one dimension over a date range.
            models.UniqueConstraint(
                fields=["span", "dimension", "on", "key"], name="one_figure_row"
            ),
        ]

    def __str__(self):
        return f"{self.span} {self.on} {self.dimension}={self.key}"


class WorkingDay(models.Model):
    """The national calendar's working days, numbered, so SQL can count them.

    number = working days from the table's first day up to and including `day`, so
    number(b) - number(a) counts the working days in (a, b]. Kept in step with the
    national calendar by `workflow.reports.calendar.sync_working_days`.
    """

    day = models.DateField(primary_key=True)
    number = models.IntegerField()

    def __str__(self):
        return f"{self.day}: {self.number}"


class ClosedPeriod(models.Model):
    """A period whose figures were closed (chốt số liệu): stored, never recomputed.

    Append-only (a trigger refuses UPDATE and DELETE). `history_entries` and
    `history_digest` say which history the figures were computed from: the entries
    dated before the period's end, and a digest of each petition's last one.
    """

    start_on = models.DateField()
    end_on = models.DateField()
    closed_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history_entries = models.BigIntegerField()
    history_digest = models.CharField(max_length=64)
    # {dimension: {key: {count: value}}} as workflow.reports.closing stores it.
    figures = models.JSONField()

    class Meta:
        ordering = ["-end_on", "-start_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["start_on", "end_on"], name="one_closing_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(start_on__lte=models.F("end_on")),
                name="closed_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.start_on}..{self.end_on}"

    @property
    def closed_by_name(self) -> str:
        """Who closed it; a period closed by `manage.py close_period` has no user."""
        user = self.closed_by
        return staff_name(user) if user else "manage.py"
