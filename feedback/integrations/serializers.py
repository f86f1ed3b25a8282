"""What the machine interfaces tell about a petition (the intake API and Open311)."""

from django.utils import timezone

from workflow.models import State
from workflow.models.petitions import OPEN_STATES

# Related rows serialize_petition() reads; callers select them with the petition.
RELATED = ("category", "agency", "province", "commune")


def w3c(moment) -> str | None:
    """A moment as W3C/RFC 3339 in Vietnam's time with its offset, or None."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def published_answer(petition) -> str:
    """The answer the submitter was given; empty while none was.

    A draft waiting for a supervisor's approval is held in the same field, so the
    state decides whether the text has gone out.
    """
    if petition.state in (State.ANSWERED, State.CLOSED) and petition.answered_at:
        return petition.answer
    return ""


def serialize_petition(petition) -> dict:
    """The facts both interfaces share; each adds or renames what its format asks."""
    answer = published_answer(petition)
    return {
        "tracking_code": petition.tracking_code,
        "state": petition.state,
        "state_label": str(State(petition.state).label),
        "is_open": petition.state in OPEN_STATES,
        "category": petition.category.code,
        "agency": petition.agency.name if petition.agency_id else None,
        "received_at": w3c(petition.received_at),
        "due_at": w3c(petition.due_at),
        "next_due_at": w3c(petition.next_due_at),
        "answer": answer or None,
        "answered_at": w3c(petition.answered_at) if answer else None,
        "closed_at": w3c(petition.closed_at),
    }
