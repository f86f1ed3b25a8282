"""The read side for staff screens: queue, case, dashboard and auditor figures.

Every function here costs a fixed number of queries whatever the number of rows,
and aggregates in PostgreSQL: the auditor report reads a year of a million
petitions in one pass.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext_lazy as _

from workflow import audit, glossary, receipts, sla
from workflow.access import Actor
from workflow.deadlines import VIETNAM, DaysLeft
from workflow.models import (
    Action,
    Agency,
    AnswerLetter,
    AnswerTemplate,
    Clock,
    Extension,
    HistoryEntry,
    Petition,
    Role,
    SlaAlert,
    State,
)
from workflow.models.petitions import OPEN_STATES
from workflow.permissions import StaffRoles, is_allowed
from workflow.reference import reference
from workflow.templatetags.deadlines import deadline as deadline_text

# --- shared conditions ---


def overdue_q(now) -> Q:
    """Open petitions that are overdue, as `sla.sla_status` says on screen."""
    return Q(breached_at__isnull=False) | Q(next_due_at__lt=now)


def at_risk_q(now) -> Q:
    """Past the warning time, not yet due, and not paused for the submitter."""
    return Q(
        breached_at__isnull=True, next_warn_at__lte=now, next_due_at__gte=now
    ) & ~Q(state=State.AWAITING_INFO)


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def local_today(now) -> date:
    return now.astimezone(VIETNAM).date()


# --- the handler queue ---

QUEUE_VIEWS = ("all", "mine", "unassigned", "triage")
QUEUE_ORDER = (F("next_due_at").asc(nulls_last=True), "received_at", "pk")
QUEUE_COLUMNS = (
    "pk",
    "tracking_code",
    "title",
    "state",
    "received_at",
    "next_due_at",
    "next_warn_at",
    "breached_at",
    "due_at",
    "info_due_at",
    "version",
    "agency_id",
    "agency__name",
    "agency__calendar_id",
    "category__name",
    "category__name_en",
    "province__name",
    "handler_id",
    "handler__username",
    "handler__first_name",
    "handler__last_name",
)


@dataclass(frozen=True)
class QueueFilters:
    view: str = "all"
    state: str = ""
    category_id: int | None = None
    province_id: int | None = None
    handler_id: int | None = None
    is_overdue_only: bool = False
    search: str = ""
    channel: str = ""


def handler_queue(actor: Actor, filters: QueueFilters, *, now, roles=None):
    """The open petitions the actor may see, the most urgent first (unevaluated).

    Sorted by time to breach: the earliest running deadline, petitions without one
    last, then by receipt. `petition_queue_idx (agency, next_due_at)` serves one
    agency's queue; the triage view shows petitions no agency has yet.
    """
    petitions = Petition.objects.filter(state__in=OPEN_STATES)
    visible = _visible(actor, roles)
    if visible is not None:
        petitions = petitions.filter(agency_id__in=visible)
    if filters.view == "triage":
        petitions = petitions.filter(state=State.RECEIVED, agency__isnull=True)
    elif filters.view == "mine":
        petitions = petitions.filter(handler=actor.user)
    elif filters.view == "unassigned":
        petitions = petitions.filter(handler__isnull=True)
    if filters.state:
        petitions = petitions.filter(state=filters.state)
    if filters.category_id:
        petitions = petitions.filter(category_id=filters.category_id)
    if filters.province_id:
        petitions = petitions.filter(province_id=filters.province_id)
    if filters.handler_id:
        petitions = petitions.filter(handler_id=filters.handler_id)
    if filters.channel:
        petitions = petitions.filter(channel=filters.channel)
    if filters.is_overdue_only:
        petitions = petitions.filter(overdue_q(now))
    if search := filters.search.strip():
        petitions = petitions.filter(
            Q(tracking_code=search.upper()) | Q(title__icontains=search)
        )
    return (
        petitions.select_related("agency", "category", "province", "handler")
        .only(*QUEUE_COLUMNS)
        .order_by(*QUEUE_ORDER)
    )


@dataclass(frozen=True)
class QueueRow:
    petition: Petition
    status: str  # on_track | at_risk | overdue | paused | met
    can_claim: bool
    can_assign: bool
    # The nearest deadline: the running clock's, or the submitter's reply deadline
    # while the clocks wait for them.
    next_deadline: datetime | None = None
    days_left: DaysLeft | None = None

    @property
    def status_label(self) -> str:
        return glossary.sla_status_label(self.status)


def next_deadline(petition) -> datetime | None:
    """The deadline a handler watches next: the earliest running clock's, or the
    submitter's reply deadline while the petition waits for them."""
    return petition.next_due_at or petition.info_due_at


def queue_rows(petitions, roles: StaffRoles, *, now) -> list[QueueRow]:
    """Badges, working days left and row buttons for one page of the queue (no
    query per row: the calendars come from the reference cache)."""
    ref = reference()
    rows = []
    for petition in petitions:
        deadline = next_deadline(petition)
        rows.append(
            QueueRow(
                petition=petition,
                status=sla.sla_status(petition, now),
                can_claim=is_allowed(roles, petition, Action.CLAIM),
                can_assign=is_allowed(roles, petition, Action.ASSIGN),
                next_deadline=deadline,
                days_left=sla.days_left(petition, deadline, now, ref),
            )
        )
    return rows


def assignable_handlers(roles: StaffRoles):
    """Handlers a supervisor may give work to: those of the agencies supervised."""
    users = get_user_model().objects.filter(
        memberships__role__in=[Role.HANDLER, Role.SUPERVISOR]
    )
    if not roles.is_admin:
        users = users.filter(memberships__agency_id__in=roles.supervising)
    return users.distinct().order_by("first_name", "last_name", "username")


def _visible(actor: Actor, roles: StaffRoles | None):
    return roles.visible if roles is not None else actor.visible_agency_ids()


def queue_handlers(actor: Actor, roles: StaffRoles | None = None):
    """Handlers the queue can be filtered by: those of the agencies the actor sees."""
    users = get_user_model().objects.filter(
        memberships__role__in=[Role.HANDLER, Role.SUPERVISOR]
    )
    visible = _visible(actor, roles)
    if visible is not None:
        users = users.filter(memberships__agency_id__in=visible)
    return users.distinct().order_by("first_name", "last_name", "username")


# --- the case page ---


# Actor labels as the history stores them (workflow.access.Actor.label: "system",
# "submitter", "Name (handler, supervisor)"). They are hashed as written, so the
# screen translates them instead of the stored entries changing.
SUBMITTER_LABEL = "submitter"
ACTOR_KINDS = {"system": _("Hệ thống"), SUBMITTER_LABEL: _("Người gửi")}
ROLES_IN_LABEL = re.compile(r"^(?P<name>.+) \((?P<roles>[a-z_]+(?:, [a-z_]+)*)\)$")


def actor_shown(label: str) -> str:
    """A stored actor label in the reader's language."""
    if label in ACTOR_KINDS:
        return str(ACTOR_KINDS[label])
    match = ROLES_IN_LABEL.match(label)
    if match is None:
        return label
    roles = [
        str(Role(role).label)
        if role in Role.values
        else str(_("Quản trị hệ thống"))
        if role == "admin"
        else role
        for role in match["roles"].split(", ")
    ]
    return f"{match['name']} ({', '.join(roles)})"


def case_history(petition) -> list[HistoryEntry]:
    """The petition's history, oldest first, each entry with a readable action."""
    entries = list(
        HistoryEntry.objects.filter(petition=petition)
        .select_related("agency")
        .order_by("seq")
    )
    for entry in entries:
        entry.action_label = (
            Action(entry.action).label
            if entry.action in Action.values
            else entry.action
        )
        if clock := entry.data.get("clock"):  # a breach names its clock
            kind = Clock.Kind(clock) if clock in Clock.Kind.values else None
            entry.action_label = (
                f"{entry.action_label} ({kind.label if kind else clock})"
            )
    for entry in entries:
        entry.actor_shown = actor_shown(entry.actor_label)
        # The submitter acts for themself, not for the agency the case is at.
        entry.is_submitters_step = entry.actor_label == SUBMITTER_LABEL
        entry.details = step_details(entry)
    # The history holds no answer texts; the latest answer step shows the answer
    # the petition carries now (an earlier one was a draft sent back).
    answers = [entry for entry in entries if entry.action == Action.ANSWER]
    if answers and petition.answer:
        answers[-1].answer_text = petition.answer
    return entries


def step_details(entry) -> list[tuple[str, str]]:
    """What a step's data says that its reason does not, as (label, value) lines
    of the history table: where to turn instead, the petition merged into, the
    score, the letter and its posting, the days of an extension and the deadline
    it gave, a pending request withdrawn by a transfer."""
    data = entry.data or {}
    lines = []
    for key, label in STEP_DETAILS:
        value = data.get(key)
        if value in (None, ""):
            continue
        if key == "score":
            value = f"{value}/5"
        elif key == "posted_on":
            value = date.fromisoformat(value).strftime("%d/%m/%Y")
        lines.append((label, str(value)))
    if entry.action == Action.APPROVE_EXTENSION and entry.due_at is not None:
        lines.append((_("Hạn trả lời mới:"), deadline_text(entry.due_at)))
    return lines


# The data of a step shown in the history, in this order, by key.
STEP_DETAILS = (
    ("redirect_hint", _("Nơi cần gửi:")),
    ("into", _("Gộp vào:")),
    ("score", _("Đánh giá:")),
    ("letter", _("Văn bản số:")),
    ("posted_on", _("Ngày gửi bưu chính:")),
    ("postal_tracking_number", _("Số hiệu bưu gửi:")),
    ("days", _("Số ngày gia hạn:")),
    ("extension_withdrawn", _("Rút đề nghị gia hạn đang chờ (số ngày):")),
)


def case_letters(petition) -> list:
    """The petition's answer letters (answers by post), oldest first."""
    return list(petition.letters.order_by("cycle"))


def recent_entries(actor: Actor, limit=20) -> list[Petition]:
    """What this staff member entered lately, for reprinting receipts."""
    return list(
        Petition.objects.filter(entered_by=actor.user)
        .only(
            "tracking_code",
            "submitter_name",
            "channel",
            "received_at",
            "entered_at",
        )
        .order_by("-entered_at", "-pk")[:limit]
    )


def letters_to_post(roles: StaffRoles):
    """Answer letters not yet posted, of the agencies the roles see, oldest first
    (letter_to_post_idx)."""
    letters = AnswerLetter.objects.filter(posted_on__isnull=True)
    if roles.visible is not None:
        letters = letters.filter(agency_id__in=roles.visible)
    return letters.select_related("petition").order_by("issued_at", "pk")


def answers_to_publish(roles: StaffRoles):
    """Consented answers no supervisor has decided on yet, of the agencies the
    roles supervise, oldest answer first (petition_to_publish_idx)."""
    petitions = Petition.objects.filter(
        publish_consent=True,
        publication="",
        state__in=[State.ANSWERED, State.CLOSED],
    ).exclude(answered_at=None)
    if not roles.is_admin:
        petitions = petitions.filter(agency_id__in=roles.supervising)
    return petitions.select_related("agency", "category").order_by("answered_at", "pk")


def backdated_entries(period, *, channel=""):
    """Staff entries with a receipt moment earlier than their entry, entered in
    the period: who entered each, when, and the receipt moment claimed."""
    start = local_midnight(period.start_on)
    end = local_midnight(period.end_on + timedelta(days=1))
    return receipts.backdated_entries(
        Petition.objects.select_related("entered_by", "agency"),
        start=start,
        end=end,
        channel=channel,
    )


@dataclass(frozen=True)
class CaseDeadlines:
    """The case page's deadlines with the working days left to each."""

    answer: DaysLeft | None
    next: DaysLeft | None
    reply: DaysLeft | None  # the submitter's, while the petition waits for them


def case_deadlines(petition, *, now) -> CaseDeadlines:
    if petition.state not in OPEN_STATES:  # nothing is left to count down
        return CaseDeadlines(answer=None, next=None, reply=None)
    ref = reference()
    return CaseDeadlines(
        answer=sla.days_left(petition, petition.due_at, now, ref),
        next=sla.days_left(petition, petition.next_due_at, now, ref),
        reply=sla.days_left(petition, petition.info_due_at, now, ref),
    )


def case_clocks(petition) -> list:
    return list(petition.clocks.order_by("started_at", "pk"))


def case_extension(petition):
    return Extension.objects.filter(petition=petition).first()


def answer_templates(petition) -> list[AnswerTemplate]:
    return list(AnswerTemplate.objects.filter(category_id=petition.category_id))


def transfer_targets(petition):
    return (
        Agency.objects.filter(is_active=True)
        .exclude(pk=petition.agency_id)
        .only("pk", "name")
    )


def agency_handlers(petition):
    return (
        get_user_model()
        .objects.filter(
            memberships__agency_id=petition.agency_id,
            memberships__role__in=[Role.HANDLER, Role.SUPERVISOR],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- the supervisor dashboard ---


@dataclass
class Dashboard:
    open_count: int
    due_today: int
    at_risk: int
    overdue: int
    load: list[dict] = field(default_factory=list)
    escalations: list = field(default_factory=list)  # [BreachRow]
    pending_extensions: list = field(default_factory=list)
    answers_to_approve: list = field(default_factory=list)


@dataclass(frozen=True)
class BreachRow:
    """One petition past a deadline on the dashboard, with every clock it breached."""

    petition: Petition
    clocks: list  # [(kind label, due moment)], latest first

    @property
    def latest_at(self):
        return self.clocks[0][1]


def breach_rows(alerts, *, limit) -> list[BreachRow]:
    """The petitions with the latest breaches, one row each (2 queries)."""
    latest = (
        alerts.values("clock__petition_id")
        .annotate(latest=Max("at"))
        .order_by("-latest", "-clock__petition_id")[:limit]
    )
    ids = [row["clock__petition_id"] for row in latest]
    rows: dict[int, BreachRow] = {pk: None for pk in ids}
    for alert in (
        alerts.filter(clock__petition_id__in=ids)
        .select_related("clock__petition__agency", "clock__petition__handler")
        .order_by("-at", "-pk")
    ):
        petition = alert.clock.petition
        if rows[petition.pk] is None:
            rows[petition.pk] = BreachRow(petition=petition, clocks=[])
        rows[petition.pk].clocks.append((alert.clock.get_kind_display(), alert.at))
    return [rows[pk] for pk in ids]


def dashboard_figures(actor: Actor, *, now, escalation_limit=20) -> Dashboard:
    """What waits for a supervisor and the load and risk of their agencies (6 queries).

    "Due today" counts deadlines still ahead that fall before the end of the local
    day (a deadline at 24:00 is stored as the next day's 00:00).
    """
    visible = actor.visible_agency_ids()
    petitions = Petition.objects.filter(state__in=OPEN_STATES)
    alerts = SlaAlert.objects.filter(kind=SlaAlert.Kind.BREACH)
    extensions = Extension.objects.filter(status=Extension.Status.PENDING)
    if visible is not None:
        petitions = petitions.filter(agency_id__in=visible)
        alerts = alerts.filter(clock__petition__agency_id__in=visible)
        extensions = extensions.filter(petition__agency_id__in=visible)
    end_of_today = local_midnight(local_today(now) + timedelta(days=1))
    due_today = Q(next_due_at__gte=now, next_due_at__lte=end_of_today)
    figures = {
        "open_count": Count("pk"),
        "due_today": Count("pk", filter=due_today),
        "at_risk": Count("pk", filter=at_risk_q(now)),
        "overdue": Count("pk", filter=overdue_q(now)),
    }
    load = (
        petitions.values(
            "handler_id",
            "handler__username",
            "handler__first_name",
            "handler__last_name",
        )
        .annotate(**figures)
        .order_by(F("handler__first_name").asc(nulls_first=True), "handler__username")
    )
    load = list(load)
    totals = {
        key: sum(row[key] for row in load)
        for key in ("open_count", "due_today", "at_risk", "overdue")
    }
    return Dashboard(
        **totals,
        load=load,
        escalations=breach_rows(alerts, limit=escalation_limit),
        pending_extensions=list(
            extensions.select_related("petition__agency", "requested_by").order_by(
                "requested_at"
            )
        ),
        # Answers a supervisor must approve before they go out, nearest deadline
        # first: the supervisor's main task.
        answers_to_approve=list(
            petitions.filter(state=State.ANSWER_REVIEW)
            .select_related("agency", "handler")
            .order_by(F("due_at").asc(nulls_last=True), "pk")
        ),
    )


# --- the auditor's case page ---


@dataclass(frozen=True)
class CaseAudit:
    petition: Petition
    history: list[HistoryEntry]
    chain_break: audit.ChainBreak | None

    @property
    def is_intact(self) -> bool:
        return self.chain_break is None


def case_audit(petition) -> CaseAudit:
    """A case's full history and whether its hash chain is intact."""
    return CaseAudit(
        petition=petition,
        history=case_history(petition),
        chain_break=next(iter(audit.verify_history([petition.pk])), None),
    )
