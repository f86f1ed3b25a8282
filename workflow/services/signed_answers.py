"""Answers issued as PDF letters signed with the agency's certificate (PAdES)."""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow import documents, permissions
from workflow.documents.content import letter_of
from workflow.errors import NotAllowedNow
from workflow.models import Action, AnswerLetter, SignedAnswer
from workflow.services.letters import issue_letter, signer_of
from workflow.services.steps import finish_step, lock_petition
from workflow.signing import SigningRefused, answer_signer


@transaction.atomic
def sign_answer(*, petition_id, actor, expected_version=None) -> SignedAnswer:
    """Issue the answer that went out as an official letter in PDF, signed with
    the agency's certificate by the supervisor who signs it now.

    The letter of the answer is reused when one was issued (an answer by post),
    else the agency's next number is drawn. A certificate not valid now is refused
    and nothing is written. The PDF's SHA-256 goes into the history, so that the
    checkpoints seal which PDF was issued (Decree 30/2020/NĐ-CP: digital signatures
    on official documents).
    """
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.SIGN_ANSWER)
    if answer_is_signed(petition):
        raise NotAllowedNow(
            f"The answer of {petition.tracking_code} is already signed.",
            text=_("Trả lời của phản ánh %(code)s đã được ký số."),
            params={"code": petition.tracking_code},
        )
    now = timezone.now()
    letter = letter_of_answer(petition) or issue_letter(petition, actor=actor, now=now)
    signer_name, signer_title = signer_of(actor, petition.agency)
    pdf = documents.render_pdf(documents.ANSWER_LETTER, {"letter": letter_of(letter)})
    backend = answer_signer()
    try:
        signed = backend.sign(
            pdf,
            agency=petition.agency,
            signer_name=signer_name,
            signer_title=signer_title,
            now=now,
        )
    except SigningRefused as refused:
        raise NotAllowedNow(str(refused)) from None
    certificate = backend.certificate(petition.agency)
    digest = hashlib.sha256(signed).hexdigest()
    row = SignedAnswer.objects.create(
        letter=letter,
        petition=petition,
        pdf=signed,
        sha256=digest,
        signed_at=now,
        signed_by=actor.user,
        signer_name=signer_name,
        signer_title=signer_title,
        certificate_subject=certificate.subject,
        certificate_serial=certificate.serial,
        certificate_not_after=certificate.not_after,
    )
    finish_step(
        petition,
        actor=actor,
        action=Action.SIGN_ANSWER,
        now=now,
        data={"letter": letter.reference, "sha256": digest},
    )
    return row


def answer_is_signed(petition) -> bool:
    """Whether the answer now out was issued signed (a reopened and answered
    again petition has a new answer to sign)."""
    letter = letter_of_answer(petition)
    return letter is not None and SignedAnswer.objects.filter(letter=letter).exists()


def signed_answer_of(petition) -> SignedAnswer | None:
    """The newest signed answer of the petition, for its submitter to download."""
    return SignedAnswer.objects.filter(petition=petition).order_by("-signed_at").first()


def letter_of_answer(petition) -> AnswerLetter | None:
    if petition.answered_at is None:
        return None
    return (
        AnswerLetter.objects.filter(
            petition=petition, issued_at__gte=petition.answered_at
        )
        .order_by("-cycle")
        .first()
    )
