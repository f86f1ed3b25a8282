"""The lifecycle steps after intake: one service per transition.

Each service runs in one transaction: it locks the petition row, checks the actor's
role and the petition's version, runs the transition, saves, appends the history entry
and writes the notification rows. Either all of that happens or none of it.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.services import outbox_transaction
from workflow import messages, permissions, sla
from workflow.access import Actor, visible_petitions
from workflow.errors import InvalidInput, NotAllowedNow, NotPermitted, PetitionChanged
from workflow.intake_rules import DISPUTE_WINDOW_DAYS
from workflow.models import Action, Petition, State, staff_name
from workflow.models.petitions import OPEN_STATES
from workflow.services.extensions import withdraw_pending
from workflow.services.letters import issue_answer_letter
from workflow.services.steps import (
    active_agency,
    finish_step,
    lock_petition,
    optional_text,
    require_submitter,
    required_text,
    run_transition,
)
from workflow.templatetags.deadlines import deadline as deadline_text


@outbox_transaction()
def triage_petition(*, petition_id, actor, agency_id, expected_version=None, reason=""):
    """A coordinator sends a petition waiting in the triage queue to an agency."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.TRIAGE)
    agency = active_agency(agency_id)
    now = timezone.now()
    from_state = run_transition(petition, petition.triage, agency=agency)
    finish_step(
        petition,
        actor=actor,
        action=Action.TRIAGE,
        from_state=from_state,
        now=now,
        reason=reason,
    )
    messages.petition_assigned(petition, now=now)
    return petition


@outbox_transaction()
def reject_petition(
    *, petition_id, actor, reason, redirect_hint="", expected_version=None
):
    """Not accepted: out of scope, form rules not met, abusive (Decree 20/2008).

    From the triage queue a coordinator decides; once assigned, the agency's supervisor.
    The submitter is told why and where to turn (complaints and denunciations have
    their own procedures).
    """
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.REJECT)
    reason = required_text(reason)
    redirect_hint = optional_text(redirect_hint, what="redirect_hint")
    now = timezone.now()
    from_state = run_transition(
        petition,
        petition.reject,
        reason=reason,
        redirect_hint=redirect_hint,
        now=now,
    )
    finish_step(
        petition,
        actor=actor,
        action=Action.REJECT,
        from_state=from_state,
        now=now,
        reason=reason,
        data={"redirect_hint": redirect_hint},
    )
    messages.petition_rejected(petition, now=now)
    return petition


@outbox_transaction()
def claim_petition(*, petition_id, actor, expected_version=None):
    """A handler takes an unassigned petition of the agency's queue for themselves."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.CLAIM)
    if petition.handler_id is not None:
        raise PetitionChanged(
            f"{petition.tracking_code} is already handled by {petition.handler}.",
            text=_("Phản ánh %(code)s đã có cán bộ %(handler)s xử lý."),
            params={
                "code": petition.tracking_code,
                "handler": staff_name(petition.handler),
            },
        )
    now = timezone.now()
    petition.handler = actor.user
    finish_step(
        petition,
        actor=actor,
        action=Action.CLAIM,
        now=now,
        extra_fields=["handler"],
    )
    return petition


@outbox_transaction()
def assign_handler(*, petition_id, actor, handler, expected_version=None):
    """A supervisor gives a petition to one of the agency's handlers."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.ASSIGN)
    if petition.state not in (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING_INFO):
        raise NotAllowedNow(
            f"A petition that is {petition.get_state_display()} "
            "cannot be assigned to a handler.",
            text=_("Phản ánh đang «%(state)s» không phân công cán bộ được."),
            params={"state": State(petition.state).label},
        )
    handler_roles = permissions.StaffRoles.of(Actor.staff(handler))
    if not handler_roles.holds(permissions.HANDLER, petition.agency_id):
        raise InvalidInput(
            f"{handler} does not work for {petition.agency}.",
            field="handler",
            text=_("%(handler)s không thuộc %(agency)s."),
            params={"handler": staff_name(handler), "agency": str(petition.agency)},
        )
    now = timezone.now()
    petition.handler = handler
    finish_step(
        petition,
        actor=actor,
        action=Action.ASSIGN,
        now=now,
        extra_fields=["handler"],
        data={"handler": handler.pk},
    )
    return petition


@outbox_transaction()
def accept_petition(*, petition_id, actor, expected_version=None):
    """The assigned agency accepts the petition for handling."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.ACCEPT)
    now = timezone.now()
    from_state = run_transition(petition, petition.accept, handler=actor.user)
    finish_step(
        petition, actor=actor, action=Action.ACCEPT, from_state=from_state, now=now
    )
    return petition


@outbox_transaction()
def transfer_petition(*, petition_id, actor, agency_id, reason, expected_version=None):
    """Pass a petition to the competent agency; the case deadline stays."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.TRANSFER)
    reason = required_text(reason)
    target = active_agency(agency_id)
    if target.pk == petition.agency_id:
        raise InvalidInput(
            "Choose another agency than the current one.",
            field="agency",
            text=_("Vui lòng chọn một đơn vị khác đơn vị hiện tại."),
        )
    now = timezone.now()
    from_agency = petition.agency_id
    from_state = run_transition(petition, petition.transfer, agency=target)
    data = {"from_agency": from_agency, "to_agency": target.pk}
    if (withdrawn := withdraw_pending(petition)) is not None:
        data["extension_withdrawn"] = withdrawn
    finish_step(
        petition,
        actor=actor,
        action=Action.TRANSFER,
        from_state=from_state,
        now=now,
        reason=reason,
        data=data,
    )
    messages.petition_assigned(petition, now=now)
    messages.petition_transferred(petition, now=now)
    return petition


@outbox_transaction()
def return_to_triage(*, petition_id, actor, reason, expected_version=None):
    """An agency that is not competent, and knows none that is, sends it back."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.RETURN_TO_TRIAGE)
    reason = required_text(reason)
    now = timezone.now()
    from_agency = petition.agency_id
    from_state = run_transition(petition, petition.return_to_triage)
    finish_step(
        petition,
        actor=actor,
        action=Action.RETURN_TO_TRIAGE,
        from_state=from_state,
        now=now,
        reason=reason,
        data={"from_agency": from_agency},
    )
    return petition


@outbox_transaction()
def request_information(*, petition_id, actor, question, expected_version=None):
    """Ask the submitter for more information; the answer clock pauses meanwhile."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.REQUEST_INFO)
    question = required_text(question, what="question")
    now = timezone.now()
    from_state = run_transition(
        petition, petition.request_info, reply_due_at=sla.reply_due_at(petition, now)
    )
    finish_step(
        petition,
        actor=actor,
        action=Action.REQUEST_INFO,
        from_state=from_state,
        now=now,
        reason=question,
    )
    messages.information_requested(petition, now=now, question=question)
    return petition


@outbox_transaction()
def provide_information(*, petition_id, actor, text, expected_version=None):
    """The submitter answers the agency's question; the answer clock resumes."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    require_submitter(actor)
    text = required_text(text, what="information")
    now = timezone.now()
    from_state = run_transition(petition, petition.provide_info)
    finish_step(
        petition,
        actor=actor,
        action=Action.PROVIDE_INFO,
        from_state=from_state,
        now=now,
        reason=text,
    )
    messages.information_provided(petition, now=now)
    return petition


@outbox_transaction()
def expire_petition(
    *, petition_id: int, actor: Actor, expected_version: int | None = None
) -> Petition:
    """Close a petition whose submitter never sent the information asked for,
    once their time to send it is over (permissions.reply_time_over)."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    if not actor.is_system:
        permissions.require(actor, petition, Action.EXPIRE)
    now = timezone.now()
    if petition.state == State.AWAITING_INFO and not permissions.reply_time_over(
        petition, now
    ):
        raise NotAllowedNow(
            "The submitter may still send the information asked for (until "
            f"{petition.info_due_at}): a petition is closed for no reply only "
            "after that.",
            text=_(
                "Người gửi vẫn còn thời hạn bổ sung thông tin (%(due)s): chỉ "
                "đóng do không bổ sung sau thời hạn này."
            ),
            params={"due": deadline_text(petition.info_due_at)},
        )
    from_state = run_transition(petition, petition.expire, now=now)
    finish_step(
        petition, actor=actor, action=Action.EXPIRE, from_state=from_state, now=now
    )
    messages.petition_expired(petition, now=now)
    return petition


@outbox_transaction()
def answer_petition(*, petition_id, actor, text, expected_version=None):
    """Answer the submitter, or send the answer for review where the agency wants."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.ANSWER)
    text = required_text(text, what="answer")
    now = timezone.now()
    from_state = run_transition(
        petition,
        petition.answer_petition,
        text=text,
        now=now,
        needs_review=petition.agency.requires_answer_review,
    )
    data = _answer_goes_out(petition, actor=actor, now=now)
    finish_step(
        petition,
        actor=actor,
        action=Action.ANSWER,
        from_state=from_state,
        now=now,
        data=data,
    )
    if petition.state == State.ANSWERED:
        messages.petition_answered(petition, now=now)
    return petition


def _answer_goes_out(petition, *, actor, now) -> dict | None:
    """An answer reaching the submitter by post is an official letter, issued now;
    a request for more time still waiting is withdrawn (the cycle it asked time
    for is answered). The history entry of the step names both."""
    if petition.state != State.ANSWERED:
        return None
    data: dict[str, object] = {}
    letter = issue_answer_letter(petition, actor=actor, now=now)
    if letter is not None:
        data["letter"] = letter.reference
    if (withdrawn := withdraw_pending(petition)) is not None:
        data["extension_withdrawn"] = withdrawn
    return data or None


@outbox_transaction()
def approve_answer(*, petition_id, actor, expected_version=None):
    """A supervisor lets a reviewed answer go out to the submitter."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.APPROVE_ANSWER)
    if actor.user is not None and permissions.wrote_the_answer(actor.user.pk, petition):
        raise NotPermitted(
            "The answer's author may not approve it: another supervisor does.",
            text=_(
                "Người soạn trả lời không tự duyệt được: cần một lãnh đạo khác duyệt."
            ),
        )
    now = timezone.now()
    from_state = run_transition(petition, petition.approve_answer, now=now)
    finish_step(
        petition,
        actor=actor,
        action=Action.APPROVE_ANSWER,
        from_state=from_state,
        now=now,
        data=_answer_goes_out(petition, actor=actor, now=now),
    )
    messages.petition_answered(petition, now=now)
    return petition


@outbox_transaction()
def return_answer(*, petition_id, actor, reason, expected_version=None):
    """A supervisor sends a draft answer back to the handler for rework."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.RETURN_ANSWER)
    reason = required_text(reason)
    now = timezone.now()
    from_state = run_transition(petition, petition.return_answer)
    finish_step(
        petition,
        actor=actor,
        action=Action.RETURN_ANSWER,
        from_state=from_state,
        now=now,
        reason=reason,
    )
    return petition


@outbox_transaction()
def reopen_petition(*, petition_id, actor, reason, expected_version=None):
    """The submitter disputes the answer within the dispute window: handling resumes."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    require_submitter(actor)
    reason = required_text(reason)
    now = timezone.now()
    until = permissions.dispute_until(petition)
    if until is None:
        raise NotAllowedNow(
            "Only an answer can be disputed, and not once the petition's personal "
            "data was erased.",
            text=_(
                "Chỉ đề nghị xem xét lại được câu trả lời, và không được sau khi dữ "
                "liệu cá nhân của phản ánh đã bị xóa."
            ),
        )
    if now >= until:
        raise NotAllowedNow(
            f"An answer can be disputed within {DISPUTE_WINDOW_DAYS} days; "
            "this one was given earlier.",
            text=_(
                "Chỉ có thể đề nghị xem xét lại trong %(days)s ngày kể từ khi có "
                "trả lời."
            ),
            params={"days": DISPUTE_WINDOW_DAYS},
        )
    from_state = run_transition(petition, petition.reopen)
    finish_step(
        petition,
        actor=actor,
        action=Action.REOPEN,
        from_state=from_state,
        now=now,
        reason=reason,
    )
    messages.petition_reopened(petition, now=now)
    return petition


@outbox_transaction()
def close_petition(*, petition_id, actor, expected_version=None):
    """Close an answered petition (the submitter accepts it, or a supervisor)."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    if not (actor.is_submitter or actor.is_system):
        permissions.require(actor, petition, Action.CLOSE)
    now = timezone.now()
    from_state = run_transition(petition, petition.close, now=now)
    finish_step(
        petition, actor=actor, action=Action.CLOSE, from_state=from_state, now=now
    )
    return petition


@outbox_transaction()
def withdraw_petition(*, petition_id, actor, reason="", expected_version=None):
    """The submitter withdraws a petition that is still open."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    require_submitter(actor)
    now = timezone.now()
    from_state = run_transition(petition, petition.withdraw, now=now)
    finish_step(
        petition,
        actor=actor,
        action=Action.WITHDRAW,
        from_state=from_state,
        now=now,
        reason=optional_text(reason),
    )
    return petition


@outbox_transaction()
def merge_petition(
    *, petition_id, actor, into_tracking_code, reason, expected_version=None
):
    """Close a duplicate into the petition that carries on.

    An agency's petition merges only into another petition of the same agency; one
    waiting in the triage queue, into any petition the coordinator sees. Anything
    else reads as a code that does not exist: a merge must not move a case to
    another agency, nor tell which foreign codes exist or are closed.
    """
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.MERGE)
    reason = required_text(reason)
    targets = visible_petitions(actor).exclude(pk=petition.pk)
    if petition.agency_id is not None:
        targets = targets.filter(agency_id=petition.agency_id)
    target = targets.filter(tracking_code=into_tracking_code).first()
    if target is None:
        raise InvalidInput(
            f"No other petition has the code {into_tracking_code!r}.",
            field="into",
            text=_("Không có phản ánh nào khác có mã %(code)s."),
            params={"code": into_tracking_code},
        )
    if target.state not in OPEN_STATES and target.state != State.ANSWERED:
        raise InvalidInput(
            f"{target.tracking_code} is {target.get_state_display()}; "
            "merge into a petition that is still handled.",
            field="into",
            text=_(
                "Phản ánh %(code)s đang «%(state)s»; hãy gộp vào phản ánh còn đang "
                "xử lý."
            ),
            params={"code": target.tracking_code, "state": State(target.state).label},
        )
    now = timezone.now()
    from_state = run_transition(petition, petition.merge, into=target, now=now)
    finish_step(
        petition,
        actor=actor,
        action=Action.MERGE,
        from_state=from_state,
        now=now,
        reason=reason,
        data={"into": target.tracking_code},
    )
    messages.petition_merged(petition, now=now)
    return petition


@outbox_transaction()
def record_rating(*, petition_id, actor, score, comment=""):
    """Put the submitter's rating of the answer into the history (1 to 5 stars).

    The rating itself is stored by `feedback`; this keeps it in the tamper-evident
    history beside the answer it judges. Only an answered or closed petition is rated.
    """
    petition = lock_petition(petition_id, None, actor=actor)
    require_submitter(actor)
    if petition.state not in (State.ANSWERED, State.CLOSED):
        raise NotAllowedNow(
            "Only an answered petition can be rated.",
            text=_("Chỉ đánh giá được phản ánh đã có trả lời."),
        )
    if score not in (1, 2, 3, 4, 5):
        raise InvalidInput(
            "A rating is 1 to 5.",
            field="score",
            text=_("Mức độ hài lòng từ 1 đến 5."),
        )
    now = timezone.now()
    finish_step(
        petition,
        actor=actor,
        action=Action.RATE,
        now=now,
        reason=optional_text(comment, what="comment"),
        data={"score": score},
    )
    return petition
