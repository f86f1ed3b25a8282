"""The receipt moment of a petition entered by staff, and back-dating.

The SLA counts from the moment the agency received the petition (Decree
20/2008/NĐ-CP as amended; Civil Code art. 147), not from the moment a clerk typed
it in: a letter that reached the mail room on Monday and is entered on Wednesday
was received on Monday. So staff state the receipt moment, within a limit the admin
sets (IntakePolicy), and an entry whose receipt moment is earlier than the entry is
*back-dated*: the petition keeps who entered it and when (`entered_by`,
`entered_at`), its history entry records the claim, and auditors list every such
entry (`backdated_entries`), so that back-dating cannot hide a late entry.

Every petition's first history entry records its receipt facts (`receipt_facts`):
the reports count by them, so workflow.audit checks the petition's columns against
that hashed record.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import ExpressionWrapper, F, Q
from django.db.models.fields import DurationField
from django.utils.translation import gettext as _

from workflow.deadlines import VIETNAM, WorkingCalendar
from workflow.errors import InvalidInput
from workflow.models.agencies import staff_name
from workflow.models.intake import DEFAULT_MAX_BACKDATE_WORKING_DAYS, IntakePolicy
from workflow.models.petitions import Action


def receipt_facts(petition) -> dict:
    """What a petition's first history entry records of how it came in, as JSON
    values: the door, the receipt moment (and for a staff entry, when it was
    entered), where and what about.

    The on-time rates, the overdue lists and the per-province and per-category
    figures all count by these columns, which no later step changes; hashed with
    the entry, an UPDATE of them behind the services' back is a chain break
    (workflow.audit), as it is for the state and the agency.
    """
    return {
        "channel": petition.channel,
        "received_at": _utc_iso(petition.received_at),
        "entered_at": _utc_iso(petition.entered_at),
        "province": petition.province_id,
        "commune": petition.commune_id,
        "category": petition.category_id,
    }


def _utc_iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


# The receipt moment is stated to the minute: an entry within the minute it names
# is not back-dated.
TOLERANCE = timedelta(minutes=1)


def max_backdate_working_days() -> int:
    """The admin's limit (IntakePolicy), or the default while none is set."""
    policy = IntakePolicy.objects.filter(pk=1).first()
    if policy is None:
        return DEFAULT_MAX_BACKDATE_WORKING_DAYS
    return policy.max_backdate_working_days


def earliest_receipt(now: datetime, days: int, calendar: WorkingCalendar) -> datetime:
    """The earliest receipt moment an entry made at `now` may state.

    The start (00:00 local) of the working day `days` working days before the day
    of entry; 0 means the day of entry itself. Days off in between do not count, so
    a letter that arrived on Friday may be entered on Monday with a limit of 1.
    """
    day: date = now.astimezone(VIETNAM).date()
    for _step in range(days):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def check_receipt_moment(
    received_at: datetime, *, now: datetime, days: int, calendar: WorkingCalendar
) -> None:
    """Refuse a receipt moment in the future or earlier than the admin allows."""
    if received_at.tzinfo is None:
        raise InvalidInput("The receipt moment needs a time zone.", field="received_at")
    if received_at > now:
        raise InvalidInput(
            "The receipt moment cannot be in the future.",
            field="received_at",
            code="receipt_in_future",
            text=_("Thời điểm tiếp nhận không thể ở tương lai."),
        )
    earliest = earliest_receipt(now, days, calendar)
    if received_at < earliest:
        local = earliest.astimezone(VIETNAM)
        raise InvalidInput(
            f"The receipt moment may be at most {days} working days back "
            f"(from {local:%d/%m/%Y %H:%M}); ask an administrator about older ones.",
            field="received_at",
            code="receipt_too_old",
            text=_(
                "Thời điểm tiếp nhận chỉ được ghi lùi tối đa %(days)d ngày làm việc "
                "(từ %(earliest)s). Trường hợp cũ hơn, liên hệ quản trị hệ thống."
            )
            % {"days": days, "earliest": f"{local:%d/%m/%Y %H:%M}"},
        )


def is_backdated(received_at: datetime, entered_at: datetime | None) -> bool:
    """Whether a staff entry states a receipt moment earlier than its entry."""
    return entered_at is not None and entered_at - received_at >= TOLERANCE


def backdated_q() -> Q:
    """Petitions entered by staff with a receipt moment earlier than the entry
    (the same rule as is_backdated, for queries)."""
    return Q(entered_at__isnull=False, lag__gte=TOLERANCE)


def with_lag(petitions):
    """Annotate `lag`: how long after the stated receipt the entry was made."""
    return petitions.annotate(
        lag=ExpressionWrapper(
            F("entered_at") - F("received_at"), output_field=DurationField()
        )
    )


def backdated_entries(petitions, *, start=None, end=None, channel=""):
    """Back-dated staff entries, the longest delay first (unevaluated).

    `start` and `end` bound the entry moment (an auditor looks at what was entered
    in a period); `channel` narrows to one channel.
    """
    rows = with_lag(petitions.filter(entered_at__isnull=False)).filter(backdated_q())
    if start is not None:
        rows = rows.filter(entered_at__gte=start)
    if end is not None:
        rows = rows.filter(entered_at__lt=end)
    if channel:
        rows = rows.filter(channel=channel)
    return rows.order_by("-lag", "pk")


@dataclass(frozen=True)
class EntryFacts:
    """How a staff-entered petition came in, as the case pages show it."""

    entered_by: str
    entered_at: datetime
    received_at: datetime
    lag: timedelta
    is_backdated: bool
    source: str  # "staff": stated by the clerk; "mail_server": the e-mail's arrival


def entry_facts(petition) -> EntryFacts | None:
    """Who entered the petition, when, and the receipt moment claimed; None for a
    petition that came in by itself (web form, portal, Open311)."""
    if petition.entered_at is None:
        return None
    user = petition.entered_by
    data = (
        petition.history.filter(action=Action.SUBMIT)
        .values_list("data", flat=True)
        .first()
        or {}
    )
    return EntryFacts(
        entered_by=staff_name(user) if user else "",
        entered_at=petition.entered_at,
        received_at=petition.received_at,
        lag=petition.entered_at - petition.received_at,
        is_backdated=is_backdated(petition.received_at, petition.entered_at),
        source=data.get("receipt_source", "staff"),
    )
