"""Answers on paper: the letter issued when an answer goes out, and its posting.

A submitter who gave a postal address and no e-mail is answered by an official
letter (workflow.documents renders it); the outbox has no address to try for them.
Staff print and post it, then record the posting, which the history keeps.
"""

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from notifications.services import outbox_transaction
from workflow import permissions
from workflow.deadlines import VIETNAM
from workflow.errors import InvalidInput, NotAllowedNow
from workflow.models import Action, AnswerLetter, Membership, Role, staff_name
from workflow.services.steps import finish_step, lock_petition, required_text

# Namespace of the advisory lock that numbers an agency's letters one at a time.
LETTER_NUMBER_LOCK = 0x50414B4E
DEFAULT_SYMBOL = "PAKN"
MAX_TRACKING_NUMBER = 40


def issue_answer_letter(petition, *, actor, now) -> AnswerLetter | None:
    """The official letter of an answer going out now, for a submitter answered by
    post (None for the others).

    Called by the answer services inside their transaction, the petition locked.
    The number is the agency's next of the year (Decree 30/2020/NĐ-CP art. 15:
    numbering restarts each 1 January); the signer is the staff member who lets
    the answer go out.
    """
    if not petition.is_answered_by_post:
        return None
    return issue_letter(petition, actor=actor, now=now)


def issue_letter(petition, *, actor, now) -> AnswerLetter:
    """The agency's next numbered letter for the petition's answer, signed by
    `actor` (the petition locked, inside the caller's transaction)."""
    agency = petition.agency
    year = now.astimezone(VIETNAM).year
    with connection.cursor() as cursor:
        # Two answers of one agency at once would otherwise draw the same number.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [LETTER_NUMBER_LOCK, agency.pk % 2**31],
        )
    last = AnswerLetter.objects.filter(agency=agency, year=year).aggregate(
        last=Max("number")
    )["last"]
    number = (last or 0) + 1
    signer_name, signer_title = signer_of(actor, agency)
    return AnswerLetter.objects.create(
        petition=petition,
        cycle=AnswerLetter.objects.filter(petition=petition).count() + 1,
        agency=agency,
        year=year,
        number=number,
        reference=f"{number}/{agency.document_symbol or DEFAULT_SYMBOL}",
        issued_at=now,
        signer=actor.user,
        signer_name=signer_name,
        signer_title=signer_title,
        recipient_name=petition.submitter_name,
        recipient_address=petition.postal_address,
        answer=petition.answer,
    )


def signer_of(actor, agency) -> tuple[str, str]:
    user = actor.user
    if user is None:
        return "", ""
    name = staff_name(user)
    memberships = Membership.objects.filter(user=user).select_related("agency")
    # The position held at this agency, then at a parent (a supervisor above it).
    ranked = sorted(memberships, key=lambda m: (m.agency_id != agency.pk, m.pk))
    for membership in ranked:
        if membership.role in (Role.HANDLER, Role.SUPERVISOR):
            # The letter is a Vietnamese official document: the role's name in the
            # language of record, whatever language the signer's screen speaks.
            with translation.override(settings.LANGUAGE_CODE):
                return name, membership.title or str(membership.get_role_display())
    return name, ""


def unposted_letter(petition) -> AnswerLetter | None:
    return (
        AnswerLetter.objects.filter(petition=petition, posted_on__isnull=True)
        .order_by("-cycle")
        .first()
    )


@outbox_transaction()
def record_posting(
    *, petition_id, actor, posted_on, postal_tracking_number, expected_version=None
):
    """Record that the answer letter was posted: the day and the postal tracking
    number, in the petition's history (the proof that the answer went out)."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.RECORD_POSTING)
    letter = unposted_letter(petition)
    if letter is None:
        raise NotAllowedNow(
            f"No answer letter of {petition.tracking_code} waits to be posted.",
            text=_("Phản ánh %(code)s không có thư trả lời nào chờ gửi."),
            params={"code": petition.tracking_code},
        )
    tracking_number = required_text(
        postal_tracking_number, what="postal_tracking_number"
    )
    if len(tracking_number) > MAX_TRACKING_NUMBER or "\x00" in tracking_number:
        raise InvalidInput(
            f"A postal tracking number has at most {MAX_TRACKING_NUMBER} characters.",
            field="postal_tracking_number",
            text=_("Số hiệu bưu gửi có tối đa %(count)s ký tự."),
            params={"count": MAX_TRACKING_NUMBER},
        )
    now = timezone.now()
    issued_on = letter.issued_at.astimezone(VIETNAM).date()
    if posted_on > now.astimezone(VIETNAM).date():
        raise InvalidInput(
            "The posting day cannot be in the future.",
            field="posted_on",
            text=_("Ngày gửi không thể ở tương lai."),
        )
    if posted_on < issued_on:
        raise InvalidInput(
            f"The letter was issued on {issued_on:%d/%m/%Y}; it cannot have been "
            "posted before.",
            field="posted_on",
            text=_("Thư được ban hành ngày %(date)s; không thể gửi trước ngày đó."),
            params={"date": f"{issued_on:%d/%m/%Y}"},
        )
    letter.posted_on = posted_on
    letter.postal_tracking_number = tracking_number
    letter.posted_by = actor.user
    letter.save(update_fields=["posted_on", "postal_tracking_number", "posted_by"])
    finish_step(
        petition,
        actor=actor,
        action=Action.POST_ANSWER,
        now=now,
        data={
            "letter": letter.reference,
            "posted_on": posted_on.isoformat(),
            "postal_tracking_number": tracking_number,
        },
    )
    return petition
