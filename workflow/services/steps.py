"""The one shared shape of a lifecycle step: lock, check, transition, history, outbox.

Every service in this package runs its step through these helpers inside one
transaction, so that a step is either fully applied or not at all.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_fsm import TransitionNotAllowed

from workflow import messages, sla
from workflow.access import may_see
from workflow.codes import MAX_ID, parse_number
from workflow.errors import (
    STALE_PAGE,
    InvalidInput,
    NotAllowedNow,
    NotPermitted,
    PetitionChanged,
)
from workflow.history import insert_entries, next_values
from workflow.intake_rules import has_text, refuse_forbidden_characters
from workflow.models import Action, Agency, Petition, State


def lock_petition(petition_id, expected_version, *, actor, sees=may_see) -> Petition:
    """Lock the petition row, check the actor may see it and saw its latest version.

    A petition the actor may not see is refused first, in the words used for an id
    that does not exist: every later message (changed meanwhile, not possible in
    this state, not permitted) names the petition's code or state, and a refusal
    must not tell a staff member of agency A anything about agency B's cases.
    A second caller blocks here until the first commits, then sees the new version
    and gets PetitionChanged instead of acting on what it no longer sees. `sees` is
    the visibility rule (access.may_see_receipt for the receipt desk's steps).
    """
    petition = _locked(petition_id)
    if petition is None or not sees(actor, petition):
        raise InvalidInput(f"No petition with id {petition_id}.", field="petition")
    if expected_version is None:
        return petition
    seen = parse_number(expected_version, maximum=MAX_ID)
    if seen is None:
        # Not a version any page of ours sends (a form altered by hand).
        raise InvalidInput(
            f"{expected_version!r} is not a version of petition "
            f"{petition.tracking_code}. Reload it and try again.",
            field="version",
            text=STALE_PAGE,
        )
    if seen != petition.version:
        raise PetitionChanged(
            f"Petition {petition.tracking_code} changed meanwhile (now: "
            f"{petition.get_state_display()}). Reload it and try again.",
            text=_(
                "Phản ánh %(code)s đã thay đổi trong lúc bạn xem trang (hiện: "
                "%(state)s). Vui lòng tải lại trang rồi thực hiện lại."
            ),
            params=where_it_stands(petition),
        )
    return petition


def lock_petition_for_data_duty(petition_id) -> Petition:
    """Lock the petition row for a personal-data duty that is no staff member's
    view of the case: a data-protection officer carrying out a data request (the
    request names its petitions; require_dpo has been checked) or the retention
    run by the system. Who may do this is the caller's check, not visibility."""
    petition = _locked(petition_id)
    if petition is None:
        raise InvalidInput(f"No petition with id {petition_id}.", field="petition")
    return petition


def _locked(petition_id) -> Petition | None:
    return (
        Petition.objects.select_for_update(no_key=True, of=("self",))
        .select_related("agency")
        .filter(pk=petition_id)
        .first()
    )


def where_it_stands(petition) -> dict:
    """The parameters a refusal's text names: the petition and its state."""
    return {"code": petition.tracking_code, "state": State(petition.state).label}


def run_transition(petition, transition, **arguments) -> str:
    """Run a django-fsm transition of the locked petition; return the state it left,
    which the step's history entry records (finish_step's `from_state`).

    A transition its state does not allow is NotAllowedNow, and nothing changed.
    """
    from_state = petition.state
    try:
        transition(**arguments)
    except TransitionNotAllowed:
        raise NotAllowedNow(
            f"Action {transition.__name__!r} is not possible while petition "
            f"{petition.tracking_code} is {petition.get_state_display()} "
            f"({petition.state}).",
            text=_(
                "Thao tác này không thực hiện được khi phản ánh %(code)s đang "
                "«%(state)s»."
            ),
            params=where_it_stands(petition),
        ) from None
    return from_state


# Fields a transition may change; saving only these keeps concurrent writers of other
# columns (none today) from being overwritten.
TRANSITION_FIELDS = [
    "state",
    "agency",
    "handler",
    "merged_into",
    "transfer_count",
    "answer",
    "answered_at",
    "closed_at",
    "rejection_reason",
    "info_due_at",
    "redirect_hint",
    "publication",
]


SAVED_FIELDS = [
    *TRANSITION_FIELDS,
    *sla.SLA_FIELDS,
    "version",
    "history_head",
    "history_length",
]


@dataclass(frozen=True)
class Step:
    """One lifecycle step as the history records it."""

    action: Action
    from_state: str
    reason: str = ""
    data: dict | None = None
    to_state: str | None = None  # None: the petition's state after all steps


def finish_step(
    petition,
    *,
    actor,
    action: Action,
    now,
    from_state=None,
    reason="",
    data=None,
    extra_fields=(),
):
    """Run the clocks, append the history entry and save (the petition is locked).

    `from_state` is what run_transition returned: the state the step left. A step
    without a transition (claim, assign, rate, extensions) leaves it out: the state
    stays as it is. The portal hears of each state change (intake answers it with
    the first state).
    """
    if from_state is None:
        from_state = petition.state
    sla.on_steps(petition, actions=[action], now=now)
    insert_entries(
        [
            next_values(
                petition,
                actor=actor,
                action=action,
                from_state=from_state,
                at=now,
                reason=reason,
                data=data,
                due_at=petition.due_at,
            )
        ]
    )
    petition.version += 1
    petition.save(update_fields=[*SAVED_FIELDS, *extra_fields])
    if petition.state != from_state:
        messages.status_changed(petition, now=now)


def required_text(text, what="reason"):
    text = (text or "").strip()
    if not has_text(text):
        raise InvalidInput(
            f"A {what} is required for this action.",
            field=what,
            code="required",
            text=_("Vui lòng nhập thông tin này."),
        )
    refuse_forbidden_characters(what, text)
    return text


def optional_text(text, what="reason") -> str:
    """A text the step may go without (a note, a comment, a hint): stripped, and
    refused as a required one is when it holds a character no text may hold."""
    text = (text or "").strip()
    refuse_forbidden_characters(what, text)
    return text


def active_agency(agency_id):
    number = parse_number(agency_id, maximum=MAX_ID)
    agency = (
        Agency.objects.filter(pk=number, is_active=True).first()
        if number is not None
        else None
    )
    if agency is None:
        raise InvalidInput(
            f"Unknown agency {agency_id!r}.",
            field="agency",
            text=_("Đơn vị này không tồn tại hoặc không còn hoạt động."),
        )
    return agency


def require_submitter(actor):
    if not actor.is_submitter:
        raise NotPermitted("Only the submitter may do this.")
