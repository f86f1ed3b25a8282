"""SLA clocks: started, paused and stopped as a petition moves; shown as a status."""

from workflow.deadlines import AT_RISK, MET, ON_TRACK, OVERDUE, PAUSED
from workflow.models.petitions import OPEN_STATES, State


def sla_status(petition, now) -> str:
    """On track, at risk, overdue, paused (waiting for the submitter) or met.

    Overdue is a fact: a petition whose clock was ever breached stays overdue on
    screen, whatever it became later.
    """
    if petition.breached_at is not None:
        return OVERDUE
    if petition.state not in OPEN_STATES:
        return MET
    if petition.next_due_at is not None and now > petition.next_due_at:
        return OVERDUE
    if petition.state == State.AWAITING_INFO:
        return PAUSED
    if petition.next_warn_at is not None and now >= petition.next_warn_at:
        return AT_RISK
    return ON_TRACK
