"""Moderation before publication: a supervisor publishes a consented answer, or not."""

import pytest

from feedback.queries import masked, published_answers
from workflow import services
from workflow.audit import verify_history
from workflow.errors import InvalidInput, NotAllowedNow, NotPermitted, PetitionChanged
from workflow.models import HistoryEntry, Petition
from workflow.permissions import StaffRoles
from workflow.privacy.consent import withdraw_publication
from workflow.queries import answers_to_publish


@pytest.fixture
def answered(submit, routed_to_a, handler_a):
    def make(**fields):
        petition = submit(
            publish_consent=True,
            content="Bà Lò Thị Sen ở cạnh quán Hoa Mai phản ánh đèn hỏng.",
            **fields,
        )
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
        services.answer_petition(
            petition_id=petition.pk,
            actor=handler_a,
            text="Đã thay đèn gần quán Hoa Mai.",
        )
        return Petition.objects.get(pk=petition.pk)

    return make


def test_consent_alone_publishes_nothing_until_a_supervisor_publishes(
    answered, supervisor_a
):
    petition = answered()
    # Waiting in the agency's review list, not on /answers/.
    assert list(published_answers()) == []
    assert list(answers_to_publish(StaffRoles.of(supervisor_a))) == [petition]

    services.publish_answer(
        petition_id=petition.pk,
        actor=supervisor_a,
        redactions=["Lò Thị Sen", " quán  Hoa Mai ", "QUÁN HOA MAI"],
    )

    petition = Petition.objects.get(pk=petition.pk)
    assert list(published_answers()) == [petition]
    assert list(answers_to_publish(StaffRoles.of(supervisor_a))) == []
    # Trimmed, repeats (in any case) dropped, hidden wherever they occur.
    assert petition.public_redactions == ["Lò Thị Sen", "quán Hoa Mai"]
    shown = masked(petition)
    assert shown.content == "Bà *** ở cạnh *** phản ánh đèn hỏng."
    assert shown.answer == "Đã thay đèn gần ***."
    entry = HistoryEntry.objects.filter(petition=petition).latest("seq")
    # The history counts the phrases but does not hold them: they are personal data.
    assert (entry.action, entry.data) == ("publish_answer", {"redactions": 2})
    assert "Sen" not in str(entry.data) + entry.reason
    assert list(verify_history([petition.pk])) == []


def test_a_decline_keeps_it_off_the_public_pages_with_its_reason(
    answered, supervisor_a
):
    petition = answered()
    services.decline_publication(
        petition_id=petition.pk, actor=supervisor_a, reason="Nêu đích danh hộ gia đình."
    )
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.publication == "declined"
    assert list(published_answers()) == []
    assert list(answers_to_publish(StaffRoles.of(supervisor_a))) == []
    entry = HistoryEntry.objects.filter(petition=petition).latest("seq")
    assert (entry.action, entry.reason) == (
        "decline_publication",
        "Nêu đích danh hộ gia đình.",
    )


def test_a_decline_needs_a_reason(answered, supervisor_a):
    petition = answered()
    with pytest.raises(InvalidInput, match="reason is required"):
        services.decline_publication(
            petition_id=petition.pk, actor=supervisor_a, reason=" "
        )
    assert Petition.objects.get(pk=petition.pk).publication == ""


def test_a_published_answer_can_be_taken_down_and_a_declined_one_published(
    answered, supervisor_a
):
    petition = answered()
    services.publish_answer(petition_id=petition.pk, actor=supervisor_a)
    # Published again: a phrase noticed later is hidden from then on.
    services.publish_answer(
        petition_id=petition.pk, actor=supervisor_a, redactions=["Hoa Mai"]
    )
    assert (
        masked(Petition.objects.get(pk=petition.pk)).answer
        == "Đã thay đèn gần quán ***."
    )
    services.decline_publication(
        petition_id=petition.pk, actor=supervisor_a, reason="Phát hiện tên người khác."
    )
    assert list(published_answers()) == []
    with pytest.raises(NotAllowedNow, match="already"):
        services.decline_publication(
            petition_id=petition.pk, actor=supervisor_a, reason="Lần nữa."
        )
    services.publish_answer(petition_id=petition.pk, actor=supervisor_a)
    assert len(published_answers()) == 1


def test_only_a_supervisor_of_the_agency_decides(
    answered, handler_a, handler_b, supervisor_a
):
    petition = answered()
    with pytest.raises(NotPermitted):
        services.publish_answer(petition_id=petition.pk, actor=handler_a)
    # Another agency's staff get the words of an unknown id.
    with pytest.raises(InvalidInput, match="No petition with id"):
        services.publish_answer(petition_id=petition.pk, actor=handler_b)
    assert Petition.objects.get(pk=petition.pk).publication == ""


def test_without_consent_or_answer_nothing_can_be_published(
    submit, answered, routed_to_a, handler_a, supervisor_a, citizen
):
    private = answered()
    withdraw_publication(petition_id=private.pk, actor=citizen)
    with pytest.raises(NotAllowedNow, match="not consented"):
        services.publish_answer(petition_id=private.pk, actor=supervisor_a)
    unanswered = submit(publish_consent=True)
    services.accept_petition(petition_id=unanswered.pk, actor=handler_a)
    with pytest.raises(NotAllowedNow, match="not possible"):
        services.publish_answer(petition_id=unanswered.pk, actor=supervisor_a)


def test_bad_phrases_are_refused_and_nothing_changes(answered, supervisor_a):
    petition = answered()
    for phrases, message in (
        (["ab"], "3 to 200 characters"),
        (["x" * 201], "3 to 200 characters"),
        ([f"cụm {n}" for n in range(51)], "At most 50"),
    ):
        with pytest.raises(InvalidInput, match=message):
            services.publish_answer(
                petition_id=petition.pk, actor=supervisor_a, redactions=phrases
            )
    assert Petition.objects.get(pk=petition.pk).version == petition.version


def test_a_stale_review_page_is_refused(answered, supervisor_a):
    petition = answered()
    with pytest.raises(PetitionChanged):
        services.publish_answer(
            petition_id=petition.pk,
            actor=supervisor_a,
            expected_version=petition.version - 1,
        )


def test_withdrawn_consent_unpublishes_and_a_reopened_answer_is_reviewed_again(
    answered, supervisor_a, citizen, handler_a
):
    first, second = answered(), answered()
    for petition in (first, second):
        services.publish_answer(petition_id=petition.pk, actor=supervisor_a)
    withdraw_publication(petition_id=first.pk, actor=citizen)
    assert list(published_answers()) == [Petition.objects.get(pk=second.pk)]

    services.reopen_petition(petition_id=second.pk, actor=citizen, reason="Chưa sửa")
    services.answer_petition(
        petition_id=second.pk, actor=handler_a, text="Đã sửa lần hai."
    )
    # A new answer is a new text: back in the review list, off the public page.
    assert list(published_answers()) == []
    assert list(answers_to_publish(StaffRoles.of(supervisor_a))) == [
        Petition.objects.get(pk=second.pk)
    ]
