"""Which lifecycle actions a staff member may take on a petition in its state.

Screens use this to show only the forms that can succeed; the services check again
(the same roles and states) because a page can be stale. One table, so that the rule
for an action is read in one place.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.errors import NotAllowedNow, NotPermitted
from workflow.models import Role, State
from workflow.models.agencies import SEE_ALL_ROLES, _subtree_ids

# Who may act, relative to the petition's agency (an admin may do everything).
HANDLER = "handler"  # a handler or supervisor of the agency
SUPERVISOR = "supervisor"  # a supervisor of the agency or of a parent agency
COORDINATOR = "coordinator"  # the triage desk (global role)

WORKING = (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING_INFO)
AGENCY_OPEN = (*WORKING, State.ANSWER_REVIEW)

# action → {state: who}. The services check every staff action against this table
# (require()), and screens offer only what it allows (allowed_actions()).
RULES: dict[str, dict[str, str]] = {
    "triage": {State.RECEIVED: COORDINATOR},
    "claim": dict.fromkeys(WORKING, HANDLER),
    "assign": dict.fromkeys(WORKING, SUPERVISOR),
    "accept": {State.ASSIGNED: HANDLER},
    "request_info": {State.IN_PROGRESS: HANDLER},
    "answer": {State.IN_PROGRESS: HANDLER},
    "transfer": {State.ASSIGNED: HANDLER, State.IN_PROGRESS: HANDLER},
    "return_to_triage": {State.ASSIGNED: HANDLER},
    "merge": {State.RECEIVED: COORDINATOR, **dict.fromkeys(AGENCY_OPEN, HANDLER)},
    "reject": {State.RECEIVED: COORDINATOR, State.ASSIGNED: SUPERVISOR},
    "approve_answer": {State.ANSWER_REVIEW: SUPERVISOR},
    "return_answer": {State.ANSWER_REVIEW: SUPERVISOR},
    "expire": {State.AWAITING_INFO: SUPERVISOR},
    "request_extension": dict.fromkeys(AGENCY_OPEN, HANDLER),
    "decide_extension": dict.fromkeys(AGENCY_OPEN, SUPERVISOR),
    # Not offered as a form: the submitter closes; a supervisor may too.
    "close": {State.ANSWERED: SUPERVISOR},
    # An answer letter waiting to be posted (workflow.services.letters).
    "record_posting": {State.ANSWERED: HANDLER, State.CLOSED: HANDLER},
}

# The order in which the case page offers them: the usual next step first.
ACTION_LABELS = {
    "triage": _("Chuyển đơn vị xử lý"),
    "claim": _("Nhận xử lý"),
    "accept": pgettext_lazy("action", "Tiếp nhận"),
    "request_info": _("Yêu cầu bổ sung thông tin"),
    "answer": _("Trả lời"),
    "approve_answer": _("Duyệt trả lời"),
    "return_answer": _("Trả lại dự thảo trả lời"),
    "request_extension": _("Đề nghị gia hạn"),
    "decide_extension": _("Quyết định gia hạn"),
    "assign": _("Phân công cán bộ"),
    "transfer": _("Chuyển đơn vị khác"),
    "return_to_triage": _("Trả về bộ phận điều phối"),
    "merge": _("Gộp vào phản ánh khác"),
    "reject": _("Không tiếp nhận"),
    "expire": _("Đóng do không bổ sung thông tin"),
    "record_posting": _("Ghi nhận đã gửi thư trả lời"),
}
ACTIONS = tuple(ACTION_LABELS)

# How each history entry's action reads in the history table.
HISTORY_LABELS = {
    **ACTION_LABELS,
    "submit": _("Tiếp nhận phản ánh"),
    "triage": _("Chuyển đơn vị xử lý"),
    "accept": _("Đơn vị tiếp nhận xử lý"),
    "claim": _("Cán bộ nhận xử lý"),
    "provide_info": _("Người gửi bổ sung thông tin"),
    "reopen": _("Người gửi không đồng ý, mở lại"),
    "close": _("Đóng"),
    "withdraw": _("Người gửi rút phản ánh"),
    "rate": _("Người gửi đánh giá"),
    "approve_extension": _("Duyệt gia hạn"),
    "refuse_extension": _("Không duyệt gia hạn"),
    "breach": _("Quá hạn"),
    "post_answer": _("Đã gửi thư trả lời qua bưu chính"),
    "send_receipt": _("Gửi mã tra cứu cho người gửi"),
    "reissue_secret": _("Cấp lại mã bí mật"),
}


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
            visible=(
                None
                if actor.is_admin
                or any(actor.has_global_role(r) for r in SEE_ALL_ROLES)
                else frozenset(handling)
            ),
            is_reception=actor.has_global_role(Role.RECEPTION),
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


def is_allowed(roles: StaffRoles, petition, action: str) -> bool:
    """Whether the holder of `roles` may take `action` on `petition` now."""
    who = RULES.get(action, {}).get(petition.state)
    if who is None or not roles.holds(who, petition.agency_id):
        return False
    if action == "claim":
        return petition.handler_id is None
    if action == "request_extension":
        return _extension(petition) is None
    if action == "record_posting":
        return petition.letters.filter(posted_on__isnull=True).exists()
    if action == "decide_extension":
        extension = _extension(petition)
        return extension is not None and extension.status == extension.Status.PENDING
    return True


# Service errors are in English; pages show their own texts by error field.
WHO = {
    COORDINATOR: "a coordinator",
    HANDLER: "a handler or supervisor of the petition's agency",
    SUPERVISOR: "a supervisor of the petition's agency",
}


def require(actor, petition, action: str) -> None:
    """Refuse `action` unless the petition's state allows it and the actor may take it.

    NotAllowedNow when the state does not allow the action at all; NotPermitted when
    it does but not for this actor.
    """
    who = RULES[action].get(petition.state)
    if who is None:
        raise NotAllowedNow(
            f"Action {action!r} is not possible while petition "
            f"{petition.tracking_code} is {petition.get_state_display()} "
            f"({petition.state})."
        )
    if not StaffRoles.of(actor).holds(who, petition.agency_id):
        raise NotPermitted(f"Only {WHO[who]} may take the action {action!r} now.")


def require_intake(actor) -> None:
    """Refuse staff intake to anyone who may not enter petitions."""
    if not StaffRoles.of(actor).enters_petitions:
        raise NotPermitted(
            "Only handlers, supervisors, coordinators and reception staff may "
            "enter petitions."
        )


def allowed_actions(roles: StaffRoles, petition) -> list[str]:
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
    return "feedback:home"
