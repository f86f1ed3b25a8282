"""The answer as a document both sides can print or keep as PDF.

An answer that went out as a numbered letter (by post, or signed as a PDF) is
that letter, word for word (workflow.documents.content.letter_of). Any other
answer — most go out by e-mail or on the tracking page — prints on the same
official layout without a number: the agency, the day it went out, the text and
who let it out (the supervisor who approved it, else the handler who sent it).
One template (documents/answer_letter.html) serves the print page and the PDF.
"""

from workflow.access import Actor
from workflow.deadlines import VIETNAM
from workflow.documents.content import (
    Letter,
    dispute_until_text,
    letter_of,
    paragraphs,
    place_name,
    tracking_url,
)
from workflow.intake_rules import DISPUTE_WINDOW_DAYS
from workflow.models import Action, HistoryEntry, State

ANSWERED_STATES = (State.ANSWERED, State.CLOSED)


def has_answer_document(petition) -> bool:
    """Whether an answer is out to print: answered or closed after an answer."""
    return (
        petition.state in ANSWERED_STATES
        and petition.answered_at is not None
        and bool(petition.answer)
    )


def answer_document_of(petition) -> Letter | None:
    """The document of the answer now out, or None while there is none."""
    if not has_answer_document(petition):
        return None
    from workflow.services.signed_answers import letter_of_answer

    letter = letter_of_answer(petition)
    if letter is not None:
        return letter_of(letter)
    return _unnumbered(petition)


def _unnumbered(petition) -> Letter:
    from workflow.services.letters import signer_of

    agency = petition.agency
    province = agency.province or petition.province
    releasing = (
        HistoryEntry.objects.filter(
            petition=petition,
            action__in=[Action.ANSWER, Action.APPROVE_ANSWER],
            at__lte=petition.answered_at,
        )
        .select_related("actor")
        .order_by("-seq")
        .first()
    )
    user = releasing.actor if releasing is not None else None
    signer_name, signer_title = (
        signer_of(Actor.staff(user), agency) if user is not None else ("", "")
    )
    return Letter(
        agency_name=agency.name,
        parent_agency_name=agency.parent.name if agency.parent_id else None,
        agency_address=agency.postal_address,
        reference="",
        place=place_name(province.name),
        issued_on=petition.answered_at.astimezone(VIETNAM).date(),
        recipient_name=petition.submitter_name,
        recipient_address=petition.postal_address,
        tracking_code=petition.tracking_code,
        petition_title=petition.title,
        received_on=petition.received_at.astimezone(VIETNAM).date(),
        answer_paragraphs=paragraphs(petition.answer),
        signer_name=signer_name,
        signer_title=signer_title,
        tracking_url=tracking_url(),
        dispute_days=DISPUTE_WINDOW_DAYS,
        dispute_until=dispute_until_text(petition),
    )
