"""Answers on paper: a letter for a submitter answered by post, and its posting."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from notifications.models import Notification
from tests import factories
from workflow import services
from workflow.deadlines import VIETNAM
from workflow.errors import InvalidInput, NotAllowedNow
from workflow.models import AnswerLetter, HistoryEntry, Membership, Petition, State

ENTERED_AT = datetime(2026, 3, 16, 9, 0, tzinfo=VIETNAM)
ANSWERED_AT = datetime(2026, 3, 20, 15, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def before_the_answer():
    """Petitions are entered and accepted on Monday 16 March 2026."""
    with time_machine.travel(ENTERED_AT, tick=False):
        yield


@pytest.fixture
def letter_petition(enter, reception, routed_to_a, handler_a):
    """A letter from a submitter with a postal address only, in progress at A."""
    petition = enter(reception).petition
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    return Petition.objects.get(pk=petition.pk)


def answer(petition, actor, text="Sở đã sửa cầu treo ngày 18/3/2026.\n\nTrân trọng."):
    with time_machine.travel(ANSWERED_AT, tick=False):
        return services.answer_petition(petition_id=petition.pk, actor=actor, text=text)


def later(days):
    return time_machine.travel(ANSWERED_AT + timedelta(days=days), tick=False)


def test_answering_by_post_issues_a_numbered_letter_named_in_the_history(
    letter_petition, handler_a, agency_a
):
    Membership.objects.filter(user=handler_a.user).update(title="Chuyên viên")
    agency_a.document_symbol = "STNMT-VP"
    agency_a.save()
    answer(letter_petition, handler_a)
    letter = AnswerLetter.objects.get(petition=letter_petition)
    assert (letter.year, letter.number, letter.reference) == (2026, 1, "1/STNMT-VP")
    assert (letter.signer_name, letter.signer_title) == ("Handler_A", "Chuyên viên")
    assert letter.recipient_address == "Thôn Bản Chắt, xã Tân Văn, tỉnh Lạng Sơn"
    assert letter.answer.startswith("Sở đã sửa cầu treo")
    entry = HistoryEntry.objects.get(petition=letter_petition, action="answer")
    assert entry.data == {"letter": "1/STNMT-VP"}


def test_letters_are_numbered_in_order_per_agency_and_year(
    enter, reception, routed_to_a, handler_a
):
    references = []
    for _ in range(3):
        petition = enter(reception).petition
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
        answer(petition, handler_a)
        references.append(AnswerLetter.objects.get(petition=petition).reference)
    assert references == ["1/PAKN", "2/PAKN", "3/PAKN"]


def test_the_outbox_tries_no_email_or_sms_for_a_submitter_answered_by_post(
    letter_petition, handler_a
):
    answer(letter_petition, handler_a)
    assert Petition.objects.get(pk=letter_petition.pk).state == State.ANSWERED
    # Staff messages (assignment) go out; nothing for the submitter, who has no
    # address but a postal one.
    assert not Notification.objects.filter(
        petition_id=letter_petition.pk, recipient_user__isnull=True
    ).exists()


def test_a_submitter_with_email_gets_no_letter(submit, routed_to_a, handler_a):
    petition = submit(email="an@example.vn")
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    answer(petition, handler_a)
    assert not AnswerLetter.objects.filter(petition=petition).exists()


def test_a_reviewed_answer_gets_its_letter_when_the_supervisor_lets_it_out(
    enter, reception, agency_a, routed_to_a, handler_a, supervisor_a
):
    agency_a.requires_answer_review = True
    agency_a.save()
    petition = enter(reception).petition
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    answer(petition, handler_a)
    assert not AnswerLetter.objects.filter(petition=petition).exists()
    with later(1):
        services.approve_answer(petition_id=petition.pk, actor=supervisor_a)
    letter = AnswerLetter.objects.get(petition=petition)
    # The supervisor who let the answer out signs it.
    assert letter.signer == supervisor_a.user
    assert letter.signer_title == "Lãnh đạo đơn vị"


def test_a_signer_working_in_english_is_titled_in_vietnamese_on_the_letter(
    enter, reception, routed_to_a, handler_a
):
    petition = enter(reception).petition
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    # The handler's pages are in English (the request's language is active).
    with translation.override("en"):
        answer(petition, handler_a)
    letter = AnswerLetter.objects.get(petition=petition)
    assert letter.signer_title == "Cán bộ xử lý"


def test_posting_is_recorded_in_the_history_once(letter_petition, handler_a):
    answer(letter_petition, handler_a)
    with later(1):
        services.record_posting(
            petition_id=letter_petition.pk,
            actor=handler_a,
            posted_on=date(2026, 3, 21),
            postal_tracking_number=" RR123456789VN ",
        )
        with pytest.raises(NotAllowedNow, match="waits to be posted"):
            services.record_posting(
                petition_id=letter_petition.pk,
                actor=handler_a,
                posted_on=date(2026, 3, 21),
                postal_tracking_number="RR1",
            )
    letter = AnswerLetter.objects.get(petition=letter_petition)
    assert (letter.posted_on, letter.postal_tracking_number) == (
        date(2026, 3, 21),
        "RR123456789VN",
    )
    entry = HistoryEntry.objects.get(petition=letter_petition, action="post_answer")
    assert entry.actor == handler_a.user
    assert entry.data == {
        "letter": "1/PAKN",
        "posted_on": "2026-03-21",
        "postal_tracking_number": "RR123456789VN",
    }
    # The case page's history shows what the step recorded, not the letter alone.
    from workflow.queries import case_history

    [shown] = [e for e in case_history(letter_petition) if e.action == "post_answer"]
    assert [(str(label), value) for label, value in shown.details] == [
        ("Văn bản số:", "1/PAKN"),
        ("Ngày gửi bưu chính:", "21/03/2026"),
        ("Số hiệu bưu gửi:", "RR123456789VN"),
    ]


@pytest.mark.parametrize(
    ("posted_on", "number", "message"),
    [
        (date(2026, 3, 22), "RR1", "future"),
        (date(2026, 3, 19), "RR1", "issued on 20/03/2026"),
        (date(2026, 3, 21), "  ", "required"),
        (date(2026, 3, 21), "R" * 41, "at most 40"),
    ],
)
def test_a_posting_that_cannot_be_true_is_refused(
    letter_petition, handler_a, posted_on, number, message
):
    answer(letter_petition, handler_a)
    with later(1):
        with pytest.raises(InvalidInput, match=message):
            services.record_posting(
                petition_id=letter_petition.pk,
                actor=handler_a,
                posted_on=posted_on,
                postal_tracking_number=number,
            )
    assert not HistoryEntry.objects.filter(action="post_answer").exists()


def test_only_the_agency_records_the_posting(letter_petition, handler_a, handler_b):
    answer(letter_petition, handler_a)
    # Another agency's petition reads as one that does not exist (issue 9).
    with pytest.raises(InvalidInput, match="No petition"):
        services.record_posting(
            petition_id=letter_petition.pk,
            actor=handler_b,
            posted_on=date(2026, 3, 20),
            postal_tracking_number="RR1",
        )


def test_a_reopened_letter_petition_gets_a_second_letter(
    letter_petition, handler_a, citizen
):
    answer(letter_petition, handler_a)
    with later(1):
        services.reopen_petition(
            petition_id=letter_petition.pk, actor=citizen, reason="Cầu vẫn chưa sửa."
        )
    with later(2):
        services.answer_petition(
            petition_id=letter_petition.pk, actor=handler_a, text="Đã sửa."
        )
    cycles = list(
        AnswerLetter.objects.filter(petition=letter_petition).values_list(
            "cycle", "reference", "answer"
        )
    )
    assert cycles == [
        (1, "1/PAKN", "Sở đã sửa cầu treo ngày 18/3/2026.\n\nTrân trọng."),
        (2, "2/PAKN", "Đã sửa."),
    ]


def test_another_agency_numbers_its_own_letters(
    enter, reception, handler_a, agency_b, land
):
    factories.rule(agency_b, category=land)
    handler = services.intake.Actor.staff(factories.staff("hb", "handler", agency_b))
    petition = enter(reception).petition
    services.accept_petition(petition_id=petition.pk, actor=handler)
    answer(petition, handler)
    assert AnswerLetter.objects.get(petition=petition).number == 1
