"""Which lifecycle actions a staff member may take on a petition in its state.

Screens use this to show only the forms that can succeed; the services check again
(the same roles and states) because a page can be stale. One table, so that the rule
for an action is read in one place.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.deadlines import DAYS, due_at
from workflow.errors import NotAllowedNow, NotPermitted
from workflow.intake_rules import DISPUTE_WINDOW_DAYS
from workflow.models import Action, Publication, Role, State
from workflow.models.agencies import SEE_ALL_ROLES, _subtree_ids

# Who may act, relative to the petition's agency (an admin may do everything).
HANDLER = "handler"  # a handler or supervisor of the agency
SUPERVISOR = "supervisor"  # a supervisor of the agency or of a parent agency
COORDINATOR = "coordinator"  # the triage desk (global role)

WORKING = (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING_INFO)
AGENCY_OPEN = (*WORKING, State.ANSWER_REVIEW)

# action → {state: who}. The services check every staff action against this table
# (require()), and screens offer only what it allows (allowed_actions()). Where an
# action is a transition of Petition, its states are the transition's sources
# (tests/workflow/test_permissions.py holds the two together).
RULES: dict[Action, dict[State, str]] = {
    Action.TRIAGE: {State.RECEIVED: COORDINATOR},
    Action.CLAIM: dict.fromkeys(WORKING, HANDLER),
    Action.ASSIGN: dict.fromkeys(WORKING, SUPERVISOR),
    Action.ACCEPT: {State.ASSIGNED: HANDLER},
    Action.REQUEST_INFO: {State.IN_PROGRESS: HANDLER},
    Action.ANSWER: {State.IN_PROGRESS: HANDLER},
    Action.TRANSFER: {State.ASSIGNED: HANDLER, State.IN_PROGRESS: HANDLER},
    Action.RETURN_TO_TRIAGE: {State.ASSIGNED: HANDLER},
    Action.MERGE: {State.RECEIVED: COORDINATOR, **dict.fromkeys(AGENCY_OPEN, HANDLER)},
    Action.REJECT: {State.RECEIVED: COORDINATOR, State.ASSIGNED: SUPERVISOR},
    Action.APPROVE_ANSWER: {State.ANSWER_REVIEW: SUPERVISOR},
    Action.RETURN_ANSWER: {State.ANSWER_REVIEW: SUPERVISOR},
    Action.EXPIRE: {State.AWAITING_INFO: SUPERVISOR},
    Action.REQUEST_EXTENSION: dict.fromkeys(AGENCY_OPEN, HANDLER),
    Action.DECIDE_EXTENSION: dict.fromkeys(AGENCY_OPEN, SUPERVISOR),
    # Not offered as a form: the submitter closes; a supervisor may too.
    Action.CLOSE: {State.ANSWERED: SUPERVISOR},
    # An answer letter waiting to be posted (workflow.services.letters).
    Action.RECORD_POSTING: {State.ANSWERED: HANDLER, State.CLOSED: HANDLER},
    # The answer as a PDF signed with the agency's certificate: its leadership signs.
    Action.SIGN_ANSWER: {State.ANSWERED: SUPERVISOR, State.CLOSED: SUPERVISOR},
    # The agency's signed or scanned reply (feedback.replies): with the answer, at
    # its approval, or after it went out.
    Action.ATTACH_REPLY: dict.fromkeys(
        (State.IN_PROGRESS, State.ANSWER_REVIEW, State.ANSWERED, State.CLOSED),
        HANDLER,
    ),
    # Moderation before publication (workflow.services.publication), on its own
    # review page rather than among the case page's forms.
    Action.PUBLISH_ANSWER: {State.ANSWERED: SUPERVISOR, State.CLOSED: SUPERVISOR},
    Action.DECLINE_PUBLICATION: {
        State.ANSWERED: SUPERVISOR,
        State.CLOSED: SUPERVISOR,
    },
}
# What the submitter does, with the tracking code and secret (no staff role).
SUBMITTER_ACTIONS = (
    Action.PROVIDE_INFO,
    Action.REOPEN,
    Action.CLOSE,
    Action.WITHDRAW,
    Action.RATE,
)


def dispute_until(petition) -> datetime | None:
    """Until when the submitter may dispute the answer (reopen it), or None when
    there is none to dispute: a petition closed unanswered (its submitter never
    sent what was asked) has no answer, and one whose personal data was erased
    has no one left to answer the dispute to.

    The window is counted as every period of the law (Civil Code arts. 147-148,
    workflow.deadlines.due_at): from the day after the answer, to the end of its
    last day, moved to the next working day of the agency's calendar when that
    day is off.
    """
    if petition.answered_at is None or petition.anonymised_at is not None:
        return None
    from workflow.sla import calendar_for

    agency = petition.agency if petition.agency_id is not None else None
    return due_at(petition.answered_at, DISPUTE_WINDOW_DAYS, DAYS, calendar_for(agency))


def reply_time_over(petition, now: datetime) -> bool:
    """Whether the submitter's time to send what was asked has run out: only then
    is a petition closed for no reply (expire). Closing it sooner would end a
    case, overdue or not, as the submitter's fault while they still had days to
    answer, and take it off the overdue figures."""
    return petition.info_due_at is not None and petition.info_due_at <= now


def requested_the_extension(user_id: int | None, extension) -> bool:
    """Whether the user asked for the extension: a request is decided by a second
    person, as an answer is approved by one (wrote_the_answer)."""
    return user_id is not None and extension.requested_by_id == user_id


# How each staff action is offered on the case page, in the order the page offers
# them: the usual next step first. (How a step reads in the history: Action.label.)
ACTION_LABELS = {
    Action.TRIAGE: _("Chuyển đơn vị xử lý"),
    Action.CLAIM: _("Nhận xử lý"),
    Action.ACCEPT: pgettext_lazy("action", "Tiếp nhận"),
    Action.REQUEST_INFO: _("Yêu cầu bổ sung thông tin"),
    Action.ANSWER: _("Trả lời"),
    Action.APPROVE_ANSWER: _("Duyệt trả lời"),
    Action.RETURN_ANSWER: _("Trả lại dự thảo trả lời"),
    Action.REQUEST_EXTENSION: _("Đề nghị gia hạn"),
    Action.DECIDE_EXTENSION: _("Quyết định gia hạn"),
    Action.ASSIGN: _("Phân công cán bộ"),
    Action.TRANSFER: _("Chuyển đơn vị khác"),
    Action.RETURN_TO_TRIAGE: _("Trả về bộ phận điều phối"),
    Action.MERGE: _("Gộp vào phản ánh khác"),
    Action.REJECT: _("Không tiếp nhận"),
    Action.EXPIRE: _("Đóng do không bổ sung thông tin"),
    Action.RECORD_POSTING: _("Ghi nhận đã gửi thư trả lời"),
    Action.SIGN_ANSWER: _("Ký số văn bản trả lời"),
}
ACTIONS = tuple(ACTION_LABELS)


@dataclass(frozen=True)
class StaffRoles:
    """An actor's roles per agency, read once: lists check many petitions with it."""

    is_admin: bool
    is_coordinator: bool
    is_auditor: bool
    handling: frozenset[int]  # agencies where the actor handles (or supervises)
    supervising: frozenset[int]  # agencies supervised, with their subtrees
    # Agencies whose petitions the actor sees (None: all): their own agencies and,
    # for supervisors, every agency below.
    visible: frozenset[int] | None = None
    is_reception: bool = False
    # Answers data subjects' requests (workflow.privacy).
    is_dpo: bool = False
    # Whose roles these are: an answer's author may not approve it.
    user_id: int | None = None

    @classmethod
    def of(cls, actor) -> "StaffRoles":
        supervising: set[int] = set()
        handling: set[int] = set()
        for role, agency_id in actor.memberships:
            if role == Role.SUPERVISOR:
                subtree = _subtree_ids(agency_id)
                supervising.update(subtree)
                handling.update(subtree)
            elif role == Role.HANDLER:
                handling.add(agency_id)
        return cls(
            is_admin=actor.is_admin,
            is_coordinator=actor.has_global_role(Role.COORDINATOR),
            is_auditor=actor.has_global_role(Role.AUDITOR),
            handling=frozenset(handling),
            supervising=frozenset(supervising),
            # A data officer reads a subject's data through the requests, not
            # through every petition's page.
            visible=(
                None
                if actor.is_admin
                or any(actor.has_global_role(r) for r in SEE_ALL_ROLES)
                else frozenset(handling)
            ),
            is_reception=actor.has_global_role(Role.RECEPTION),
            is_dpo=actor.has_global_role(Role.DPO),
            user_id=actor.user.pk if actor.user is not None else None,
        )

    def holds(self, who: str, agency_id: int | None) -> bool:
        if self.is_admin:
            return True
        if who == COORDINATOR:
            return self.is_coordinator
        if agency_id is None:
            return False
        if who == SUPERVISOR:
            return agency_id in self.supervising
        return agency_id in self.handling

    @property
    def is_supervisor(self) -> bool:
        return self.is_admin or bool(self.supervising)

    @property
    def works_queue(self) -> bool:
        return self.is_admin or self.is_coordinator or bool(self.handling)

    @property
    def reads_reports(self) -> bool:
        return self.is_admin or self.is_auditor

    @property
    def enters_petitions(self) -> bool:
        """Staff intake (counter, phone, letter, e-mail, fax): everyone who works
        petitions and the reception desk; auditors only read."""
        return self.works_queue or self.is_reception


def is_allowed(roles: StaffRoles, petition, action: Action) -> bool:
    """Whether the holder of `roles` may take `action` on `petition` now."""
    who = RULES.get(action, {}).get(petition.state)
    if who is None or not roles.holds(who, petition.agency_id):
        return False
    if action == Action.CLAIM:
        return petition.handler_id is None
    if action == Action.REQUEST_EXTENSION:
        return _extension(petition) is None
    if action == Action.RECORD_POSTING:
        # A letter issued to be signed (sign_answer) is not posted unless the
        # petition is answered by post.
        return (
            petition.is_answered_by_post
            and petition.letters.filter(posted_on__isnull=True).exists()
        )
    if action == Action.SIGN_ANSWER:
        from workflow.services.signed_answers import answer_is_signed

        return not answer_is_signed(petition)
    if action in (Action.PUBLISH_ANSWER, Action.DECLINE_PUBLICATION):
        from workflow.services.publication import is_publication_decidable

        decision = (
            Publication.PUBLISHED
            if action == Action.PUBLISH_ANSWER
            else Publication.DECLINED
        )
        return is_publication_decidable(petition, decision)
    if action == Action.DECIDE_EXTENSION:
        extension = _extension(petition)
        return (
            extension is not None
            and extension.status == extension.Status.PENDING
            and not requested_the_extension(roles.user_id, extension)
        )
    if action == Action.EXPIRE:
        return reply_time_over(petition, timezone.now())
    if action == Action.APPROVE_ANSWER:
        return not wrote_the_answer(roles.user_id, petition)
    return True


def wrote_the_answer(user_id: int | None, petition) -> bool:
    """Whether the user wrote the answer under review (the latest answer step).

    Review is a second person's reading: a supervisor who answers a petition
    themselves, where the agency reviews answers, has another supervisor (of the
    agency or above it) or an admin approve it, as a handler has them approve theirs.
    """
    if user_id is None:
        return False
    author = (
        petition.history.filter(action=Action.ANSWER)
        .order_by("-seq")
        .values_list("actor_id", flat=True)
        .first()
    )
    return author == user_id


def may_decide_publication(roles: StaffRoles, petition) -> bool:
    """Whether the publication review page of the petition is open to the roles:
    publishing or declining (taking down) is possible now."""
    return any(
        is_allowed(roles, petition, action)
        for action in (Action.PUBLISH_ANSWER, Action.DECLINE_PUBLICATION)
    )


# Who may act: in the English message, and on pages.
WHO = {
    COORDINATOR: "a coordinator",
    HANDLER: "a handler or supervisor of the petition's agency",
    SUPERVISOR: "a supervisor of the petition's agency",
}
WHO_TEXTS = {
    COORDINATOR: _("cán bộ điều phối"),
    HANDLER: _("cán bộ xử lý hoặc lãnh đạo của đơn vị được giao phản ánh"),
    SUPERVISOR: _("lãnh đạo của đơn vị được giao phản ánh"),
}


def require(actor, petition, action: Action) -> None:
    """Refuse `action` unless the petition's state allows it and the actor may take it.

    NotAllowedNow when the state does not allow the action at all; NotPermitted when
    it does but not for this actor.
    """
    who = RULES[action].get(petition.state)
    if who is None:
        raise NotAllowedNow(
            f"Action '{action}' is not possible while petition "
            f"{petition.tracking_code} is {petition.get_state_display()} "
            f"({petition.state}).",
            text=_("Không thể «%(action)s» khi phản ánh %(code)s đang «%(state)s»."),
            params={
                "action": ACTION_LABELS.get(action, Action(action).label),
                "code": petition.tracking_code,
                "state": State(petition.state).label,
            },
        )
    if not StaffRoles.of(actor).holds(who, petition.agency_id):
        raise NotPermitted(
            f"Only {WHO[who]} may take the action '{action}' now.",
            text=_("Chỉ %(who)s mới được «%(action)s» lúc này."),
            params={
                "who": WHO_TEXTS[who],
                "action": ACTION_LABELS.get(action, Action(action).label),
            },
        )


def require_intake(actor) -> None:
    """Refuse staff intake to anyone who may not enter petitions."""
    if not StaffRoles.of(actor).enters_petitions:
        raise NotPermitted(
            "Only handlers, supervisors, coordinators and reception staff may "
            "enter petitions.",
            text=_(
                "Chỉ cán bộ xử lý, lãnh đạo, cán bộ điều phối và bộ phận tiếp nhận "
                "mới được nhập phản ánh."
            ),
        )


def allowed_actions(roles: StaffRoles, petition) -> list[Action]:
    """The actions offered on the case page, in ACTIONS order."""
    return [action for action in ACTIONS if is_allowed(roles, petition, action)]


def _extension(petition):
    # The reverse one-to-one raises when absent; callers select_related it.
    try:
        return petition.extension
    except petition._meta.model.extension.RelatedObjectDoesNotExist:
        return None


def landing_page(actor) -> str:
    """The URL name a login lands on: the page of the role that does most with it."""
    roles = {role for role, _ in actor.memberships}
    if actor.is_admin or Role.SUPERVISOR in roles:
        return "workflow:dashboard"
    if Role.HANDLER in roles or Role.COORDINATOR in roles:
        return "workflow:queue"
    if Role.AUDITOR in roles:
        return "workflow:report"
    if Role.RECEPTION in roles:
        return "feedback:staff_intake"
    if Role.DPO in roles:
        return "privacy:queue"
    return "feedback:home"
