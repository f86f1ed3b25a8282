"""SLA clocks of a petition, the events they are derived from, and what the sweep found.

A clock's times are not counted up or down: they are laid out by
`workflow.deadlines.lay_out_clock` from the clock's events, its target and the
calendar, and stored here so the sweep can find due work by index.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.models.petitions import Petition


class Calendar(models.Model):
    """Working days: weekends and `holidays` (Vietnam), plus the exceptions below."""

    name = models.CharField(max_length=100, unique=True)
    # None: a day ends at 24:00 (Civil Code art. 148); agencies that count office
    # hours set e.g. 17:00.
    end_of_day = models.TimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A day cannot end at its own start: every deadline of the calendar
            # would fall nowhere (workflow.deadlines.Calendar refuses it too),
            # and intake and the queues would fail until it is changed back.
            models.CheckConstraint(
                condition=Q(end_of_day__isnull=True) | Q(end_of_day__gt=time.min),
                name="end_of_day_after_midnight",
                violation_error_message=_(
                    "Giờ kết thúc ngày làm việc phải sau 00:00; để trống nếu ngày "
                    "kết thúc lúc 24:00."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class CalendarException(models.Model):
    """A day off decided late (a longer Tết) or a make-up working Saturday."""

    calendar = models.ForeignKey(
        Calendar, on_delete=models.CASCADE, related_name="exceptions"
    )
    day = models.DateField()
    is_working_day = models.BooleanField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "day"], name="one_exception_per_day"
            ),
        ]

    def __str__(self):
        kind = "working day" if self.is_working_day else "day off"
        return f"{self.day}: {kind} ({self.note})"


class Clock(models.Model):
    class Kind(models.TextChoices):
        TRIAGE = "triage", _("Phân loại, chuyển xử lý")
        ACCEPT = "accept", pgettext_lazy("clock", "Tiếp nhận xử lý")
        ANSWER = "answer", _("Trả lời")

    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="clocks"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Acceptance runs once per assignment, the answer clock once per reopen.
    cycle = models.PositiveSmallIntegerField(default=1)
    agency_id_at_start = models.BigIntegerField(null=True, blank=True)
    amount = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=12)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    original_due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    last_day_warn_at = models.DateTimeField(null=True, blank=True)
    is_paused = models.BooleanField(default=False)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # Set once by the sweep, to the due moment, and never cleared.
    breached_at = models.DateTimeField(null=True, blank=True)
    # The earliest warning or breach still to record; NULL when nothing is pending.
    next_check_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "kind", "cycle"], name="one_clock_per_cycle"
            ),
        ]
        indexes = [
            # workflow.sweeps.check_next_clock: running clocks with work pending.
            models.Index(
                fields=["next_check_at"],
                condition=Q(next_check_at__isnull=False),
                name="clock_next_check_idx",
            ),
            # workflow.sla.recompute_open_clocks: running, not breached clocks.
            models.Index(
                fields=["id"],
                condition=Q(stopped_at__isnull=True, breached_at__isnull=True),
                name="clock_running_idx",
            ),
        ]

    def __str__(self):
        return f"{self.petition_id} {self.kind}#{self.cycle} due {self.due_at}"


class ClockEvent(models.Model):
    """Append-only: start, pause, resume, stop, extend; clock times derive from them."""

    clock = models.ForeignKey(Clock, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10)
    at = models.DateTimeField()
    days = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["clock_id", "at", "id"]

    def __str__(self):
        return f"{self.clock_id} {self.kind} at {self.at}"


class SlaAlert(models.Model):
    """A warning or breach the sweep recorded; at most one of each per clock."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Đã dùng 75% thời hạn")
        LAST_DAY = "last_day", _("Còn một ngày làm việc")
        BREACH = "breach", _("Quá hạn")

    clock = models.ForeignKey(Clock, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The moment the alert is about (a breach: the due moment), not when the sweep ran.
    at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    # What the clock was judged by: target, unit, due moment, calendar.
    snapshot = models.JSONField(default=dict)

    class Meta:
        constraints = [
            # Concurrent sweeps cannot record the same warning or breach twice.
            models.UniqueConstraint(
                fields=["clock", "kind"], name="one_alert_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.clock_id} {self.kind} at {self.at}"


class Extension(models.Model):
    """Once per petition: asked by the handler, decided by a supervisor."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REFUSED = "refused", _("Không duyệt")

    petition = models.OneToOneField(
        Petition, on_delete=models.PROTECT, related_name="extension"
    )
    days = models.PositiveSmallIntegerField()
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    def __str__(self):
        return f"{self.petition_id} +{self.days} ({self.status})"
