"""What the printed documents say: the receipt slip and the answer letter.

Each document's content is one small frozen object built here from the petition
(and the letter row), so that the print page, the PDF and whoever signs the PDF
(workflow.documents is reused for signed answers) read the same facts.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from workflow.deadlines import VIETNAM, Deadline, deadline_as_read
from workflow.intake_rules import DISPUTE_WINDOW_DAYS
from workflow.models import staff_name


def deadline_of(petition) -> Deadline | None:
    """The case deadline as a last day ("hết ngày 05/01/2027"), not the midnight
    that follows it (Civil Code art. 148: a day ends at 24:00)."""
    if petition.due_at is None:
        return None
    return deadline_as_read(petition.due_at)


def tracking_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("feedback:track")


@dataclass(frozen=True)
class Receipt:
    """The receipt slip (giấy biên nhận) handed or read to the submitter."""

    tracking_code: str
    # Known only while the petition is being entered (only its hash is stored);
    # a later reprint says how to get a new one instead.
    secret: str | None
    submitter_name: str
    title: str
    channel_label: str
    received_at: datetime
    entered_at: datetime | None
    entered_by: str
    agency_name: str | None
    deadline: Deadline | None
    tracking_url: str
    hotline: str
    language: str


def receipt_of(petition, *, secret=None) -> Receipt:
    user = petition.entered_by
    return Receipt(
        tracking_code=petition.tracking_code,
        secret=secret,
        submitter_name=petition.submitter_name,
        title=petition.title,
        channel_label=str(petition.get_channel_display()),
        received_at=petition.received_at.astimezone(VIETNAM),
        entered_at=petition.entered_at.astimezone(VIETNAM)
        if petition.entered_at
        else None,
        entered_by=staff_name(user) if user else "",
        agency_name=petition.agency.name if petition.agency_id else None,
        deadline=deadline_of(petition),
        tracking_url=tracking_url(),
        hotline=settings.PAKN_HOTLINE,
        language=petition.language,
    )


@dataclass(frozen=True)
class Letter:
    """An official answer letter: agency, reference number, date, answer, signer.

    Built from the AnswerLetter row, whose content was frozen when the answer went
    out; reprinting it gives the same letter.
    """

    agency_name: str
    parent_agency_name: str | None
    agency_address: str
    reference: str
    place: str
    issued_on: date
    recipient_name: str
    recipient_address: str
    tracking_code: str
    petition_title: str
    received_on: date
    answer_paragraphs: tuple[str, ...]
    signer_name: str
    signer_title: str
    tracking_url: str
    dispute_days: int
    # The last day to dispute, written as the letter writes it ("hết ngày
    # 04/01/2027"); "" when the answer cannot be disputed.
    dispute_until: str


def letter_of(letter) -> Letter:
    petition, agency = letter.petition, letter.agency
    province = agency.province or petition.province
    return Letter(
        agency_name=agency.name,
        parent_agency_name=agency.parent.name if agency.parent_id else None,
        agency_address=agency.postal_address,
        reference=letter.reference,
        place=place_name(province.name),
        issued_on=letter.issued_at.astimezone(VIETNAM).date(),
        recipient_name=letter.recipient_name,
        recipient_address=letter.recipient_address,
        tracking_code=petition.tracking_code,
        petition_title=petition.title,
        received_on=petition.received_at.astimezone(VIETNAM).date(),
        answer_paragraphs=paragraphs(letter.answer),
        signer_name=letter.signer_name,
        signer_title=letter.signer_title,
        tracking_url=tracking_url(),
        dispute_days=DISPUTE_WINDOW_DAYS,
        dispute_until=dispute_until_text(petition),
    )


def dispute_until_text(petition) -> str:
    """The last day the answer may be disputed (workflow.permissions.dispute_until)
    in the letter's language, Vietnamese: a citizen answered by post has no page
    to read it on."""
    from workflow.permissions import dispute_until
    from workflow.templatetags.deadlines import deadline

    until = dispute_until(petition)
    if until is None:
        return ""
    with translation.override("vi"):
        return deadline(until)


def paragraphs(text: str) -> tuple[str, ...]:
    """An answer's paragraphs as a letter sets them: split at blank lines."""
    return tuple(
        p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()
    )


def place_name(province_name: str) -> str:
    # "Thành phố Hà Nội, ngày …" reads "Hà Nội, ngày …" on a letter.
    return province_name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
