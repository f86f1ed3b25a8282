"""Every lifecycle step works for the right role in the right state, only then."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from tests import factories
from workflow import permissions, services
from workflow.deadlines import VIETNAM
from workflow.errors import InvalidInput, NotAllowedNow, NotPermitted, PetitionChanged
from workflow.models import Action, HistoryEntry, Petition, State, staff_name


def refetch(petition):
    return Petition.objects.get(pk=petition.pk)


def last_entry(petition):
    return HistoryEntry.objects.filter(petition=petition).order_by("-seq").first()


@pytest.fixture
def assigned(submit, routed_to_a):
    return submit()


@pytest.fixture
def in_progress(assigned, handler_a):
    return services.accept_petition(petition_id=assigned.pk, actor=handler_a)


@pytest.fixture
def awaiting_info(in_progress, handler_a):
    return services.request_information(
        petition_id=in_progress.pk, actor=handler_a, question="Xin số thửa đất?"
    )


@pytest.fixture
def answered(in_progress, handler_a):
    return services.answer_petition(
        petition_id=in_progress.pk, actor=handler_a, text="Đã sửa đường."
    )


def test_unrouted_petition_waits_for_triage(submit):
    petition = submit()
    assert petition.state == State.RECEIVED
    assert petition.agency is None


def test_coordinator_triages_to_an_agency(submit, coordinator, agency_a):
    petition = submit()
    services.triage_petition(
        petition_id=petition.pk, actor=coordinator, agency_id=agency_a.pk
    )
    petition = refetch(petition)
    assert petition.state == State.ASSIGNED
    assert petition.agency == agency_a
    assert last_entry(petition).actor_label.startswith("Coordinator")


def test_only_a_coordinator_triages(submit, handler_a, auditor, agency_a):
    petition = submit()
    # A handler does not see the triage queue: the petition reads as unknown.
    with pytest.raises(InvalidInput, match="No petition"):
        services.triage_petition(
            petition_id=petition.pk, actor=handler_a, agency_id=agency_a.pk
        )
    # An auditor sees it, and may not act.
    with pytest.raises(NotPermitted, match="coordinator"):
        services.triage_petition(
            petition_id=petition.pk, actor=auditor, agency_id=agency_a.pk
        )
    assert refetch(petition).state == State.RECEIVED


def test_triage_to_unknown_agency_is_refused(submit, coordinator):
    petition = submit()
    with pytest.raises(InvalidInput, match="Unknown agency"):
        services.triage_petition(
            petition_id=petition.pk, actor=coordinator, agency_id=999999
        )


def test_coordinator_rejects_with_reason_and_where_to_turn(submit, coordinator):
    petition = submit()
    services.reject_petition(
        petition_id=petition.pk,
        actor=coordinator,
        reason="Đây là đơn khiếu nại",
        redirect_hint="Gửi theo Luật Khiếu nại",
    )
    petition = refetch(petition)
    assert petition.state == State.REJECTED
    assert petition.redirect_hint == "Gửi theo Luật Khiếu nại"
    assert last_entry(petition).reason == "Đây là đơn khiếu nại"


def test_reject_without_reason_is_refused_and_nothing_changes(submit, coordinator):
    petition = submit()
    with pytest.raises(InvalidInput, match="reason is required"):
        services.reject_petition(
            petition_id=petition.pk, actor=coordinator, reason="  "
        )
    assert refetch(petition).state == State.RECEIVED
    assert HistoryEntry.objects.filter(petition=petition).count() == 1


def test_supervisor_rejects_an_assigned_petition_but_a_handler_cannot(
    assigned, handler_a, supervisor_a
):
    with pytest.raises(NotPermitted):
        services.reject_petition(petition_id=assigned.pk, actor=handler_a, reason="x")
    services.reject_petition(
        petition_id=assigned.pk, actor=supervisor_a, reason="Trùng"
    )
    assert refetch(assigned).state == State.REJECTED


def test_handler_accepts_and_becomes_the_handler(assigned, handler_a):
    services.accept_petition(petition_id=assigned.pk, actor=handler_a)
    petition = refetch(assigned)
    assert petition.state == State.IN_PROGRESS
    assert petition.handler == handler_a.user


def test_handler_of_another_agency_cannot_accept(assigned, handler_b):
    # Another agency's petition reads as one that does not exist (issue 9).
    with pytest.raises(InvalidInput, match="No petition"):
        services.accept_petition(petition_id=assigned.pk, actor=handler_b)
    assert refetch(assigned).state == State.ASSIGNED


def test_accept_twice_is_refused(in_progress, handler_a):
    with pytest.raises(NotAllowedNow, match="accept"):
        services.accept_petition(petition_id=in_progress.pk, actor=handler_a)


def test_claim_takes_an_unclaimed_petition_once(assigned, handler_a, handler_a2):
    services.claim_petition(petition_id=assigned.pk, actor=handler_a)
    assert refetch(assigned).handler == handler_a.user
    with pytest.raises(PetitionChanged, match="already handled"):
        services.claim_petition(petition_id=assigned.pk, actor=handler_a2)


def test_supervisor_assigns_only_to_own_handlers(
    assigned, supervisor_a, handler_a, handler_b
):
    services.assign_handler(
        petition_id=assigned.pk, actor=supervisor_a, handler=handler_a.user
    )
    assert refetch(assigned).handler == handler_a.user
    with pytest.raises(InvalidInput, match="does not work for"):
        services.assign_handler(
            petition_id=assigned.pk, actor=supervisor_a, handler=handler_b.user
        )


def test_refusals_name_staff_by_their_full_name_not_their_login(
    assigned, supervisor_a, handler_a, handler_a2, handler_b
):
    handler_a.user.first_name, handler_a.user.last_name = "Nguyễn Văn", "An"
    handler_a.user.save()
    handler_b.user.first_name, handler_b.user.last_name = "Trần Thị", "Bình"
    handler_b.user.save()
    services.claim_petition(petition_id=assigned.pk, actor=handler_a)
    with pytest.raises(PetitionChanged) as claimed:
        services.claim_petition(petition_id=assigned.pk, actor=handler_a2)
    with pytest.raises(InvalidInput) as elsewhere:
        services.assign_handler(
            petition_id=assigned.pk, actor=supervisor_a, handler=handler_b.user
        )
    assert "cán bộ Nguyễn Văn An xử lý" in claimed.value.display
    assert elsewhere.value.display.startswith("Trần Thị Bình không thuộc ")
    assert "handler_" not in claimed.value.display + elsewhere.value.display


def test_staff_without_a_name_are_named_by_their_login(agency_b):
    user = factories.staff("h-so-xd-lang-son", "handler", agency_b)
    user.first_name = ""
    user.save()
    assert staff_name(user) == "h-so-xd-lang-son"


def test_transfer_moves_to_other_agency_and_counts(in_progress, handler_a, agency_b):
    services.transfer_petition(
        petition_id=in_progress.pk,
        actor=handler_a,
        agency_id=agency_b.pk,
        reason="Thuộc thẩm quyền Sở XD",
    )
    petition = refetch(in_progress)
    assert petition.state == State.ASSIGNED
    assert petition.agency == agency_b
    assert petition.handler is None
    assert petition.transfer_count == 1
    assert last_entry(petition).data == {
        "from_agency": in_progress.agency_id,
        "to_agency": agency_b.pk,
    }


def test_transfer_needs_a_reason_and_another_agency(
    in_progress, handler_a, agency_a, agency_b
):
    with pytest.raises(InvalidInput, match="reason"):
        services.transfer_petition(
            petition_id=in_progress.pk,
            actor=handler_a,
            agency_id=agency_b.pk,
            reason="",
        )
    with pytest.raises(InvalidInput, match="another agency"):
        services.transfer_petition(
            petition_id=in_progress.pk,
            actor=handler_a,
            agency_id=agency_a.pk,
            reason="x",
        )
    assert refetch(in_progress).transfer_count == 0


def test_transferred_petition_is_no_longer_the_first_agencys(
    in_progress, handler_a, handler_b, agency_b
):
    services.transfer_petition(
        petition_id=in_progress.pk,
        actor=handler_a,
        agency_id=agency_b.pk,
        reason="Không đúng thẩm quyền",
    )
    with pytest.raises(InvalidInput, match="No petition"):
        services.accept_petition(petition_id=in_progress.pk, actor=handler_a)
    services.accept_petition(petition_id=in_progress.pk, actor=handler_b)
    assert refetch(in_progress).state == State.IN_PROGRESS


def test_return_to_triage_clears_the_agency(assigned, handler_a):
    services.return_to_triage(
        petition_id=assigned.pk, actor=handler_a, reason="Không thuộc lĩnh vực"
    )
    petition = refetch(assigned)
    assert petition.state == State.RECEIVED
    assert petition.agency is None


def test_return_to_triage_only_from_assigned(in_progress, handler_a):
    with pytest.raises(NotAllowedNow, match="return_to_triage"):
        services.return_to_triage(
            petition_id=in_progress.pk, actor=handler_a, reason="x"
        )


def test_request_and_provide_information(awaiting_info, citizen):
    assert refetch(awaiting_info).state == State.AWAITING_INFO
    services.provide_information(
        petition_id=awaiting_info.pk, actor=citizen, text="Thửa số 12"
    )
    petition = refetch(awaiting_info)
    assert petition.state == State.IN_PROGRESS
    assert last_entry(petition).reason == "Thửa số 12"


def test_only_the_submitter_provides_information(awaiting_info, handler_a):
    with pytest.raises(NotPermitted, match="submitter"):
        services.provide_information(
            petition_id=awaiting_info.pk, actor=handler_a, text="x"
        )


def test_request_information_needs_a_question_and_in_progress(
    assigned, in_progress, handler_a
):
    with pytest.raises(InvalidInput, match="question"):
        services.request_information(
            petition_id=in_progress.pk, actor=handler_a, question=""
        )
    other = services.submit_petition(
        channel="web",
        submitter_kind="citizen",
        submitter_name="B",
        phone="0912345678",
        title="t",
        content="c",
        category="land",
        province=factories.LANG_SON,
    ).petition
    with pytest.raises(NotAllowedNow):
        services.request_information(
            petition_id=other.pk, actor=handler_a, question="?"
        )


def test_expire_closes_a_petition_without_reply(awaiting_info, supervisor_a, handler_a):
    with time_machine.travel(awaiting_info.info_due_at, tick=False):
        with pytest.raises(NotPermitted):
            services.expire_petition(petition_id=awaiting_info.pk, actor=handler_a)
        services.expire_petition(petition_id=awaiting_info.pk, actor=supervisor_a)
    petition = refetch(awaiting_info)
    assert petition.state == State.CLOSED
    assert petition.closed_at is not None


def test_no_closing_for_no_reply_while_the_submitter_may_still_reply(
    awaiting_info, supervisor_a
):
    # Closing at once would end the case as the submitter's fault, overdue or not,
    # and take it off the overdue figures, while they still had days to answer.
    almost = awaiting_info.info_due_at - timedelta(minutes=1)
    with time_machine.travel(almost, tick=False):
        assert Action.EXPIRE not in permissions.allowed_actions(
            permissions.StaffRoles.of(supervisor_a), refetch(awaiting_info)
        )
        with pytest.raises(NotAllowedNow, match="may still send") as refused:
            services.expire_petition(petition_id=awaiting_info.pk, actor=supervisor_a)
    assert "vẫn còn thời hạn bổ sung thông tin (hết ngày" in refused.value.display
    petition = refetch(awaiting_info)
    assert petition.state == State.AWAITING_INFO
    assert last_entry(petition).action == "request_info"


def test_expire_only_while_awaiting_info(in_progress, supervisor_a):
    with pytest.raises(NotAllowedNow, match="expire"):
        services.expire_petition(petition_id=in_progress.pk, actor=supervisor_a)


def test_answer_goes_straight_out_without_review(answered):
    petition = refetch(answered)
    assert petition.state == State.ANSWERED
    assert petition.answer == "Đã sửa đường."
    assert petition.answered_at is not None


def test_answer_by_another_agency_or_from_wrong_state_is_refused(
    in_progress, assigned, handler_b
):
    with pytest.raises(InvalidInput, match="No petition"):
        services.answer_petition(petition_id=in_progress.pk, actor=handler_b, text="x")


def test_answer_from_assigned_is_refused(assigned, handler_a):
    with pytest.raises(NotAllowedNow, match="answer"):
        services.answer_petition(petition_id=assigned.pk, actor=handler_a, text="x")


@pytest.fixture
def reviewed_agency(agency_a):
    agency_a.requires_answer_review = True
    agency_a.save()
    return agency_a


def test_review_agency_holds_answer_until_supervisor_approves(
    reviewed_agency, in_progress, handler_a, supervisor_a
):
    services.answer_petition(
        petition_id=in_progress.pk, actor=handler_a, text="Trả lời"
    )
    petition = refetch(in_progress)
    assert petition.state == State.ANSWER_REVIEW
    assert petition.answered_at is None
    with pytest.raises(NotPermitted):
        services.approve_answer(petition_id=in_progress.pk, actor=handler_a)
    services.approve_answer(petition_id=in_progress.pk, actor=supervisor_a)
    assert refetch(in_progress).state == State.ANSWERED


def test_a_supervisor_does_not_approve_the_answer_they_wrote(
    reviewed_agency, in_progress, supervisor_a
):
    from workflow import permissions
    from workflow.access import Actor
    from workflow.models import Role

    services.answer_petition(
        petition_id=in_progress.pk, actor=supervisor_a, text="Trả lời của lãnh đạo"
    )
    petition = refetch(in_progress)
    roles = permissions.StaffRoles.of(supervisor_a)
    assert "approve_answer" not in permissions.allowed_actions(roles, petition)
    with pytest.raises(NotPermitted, match="author"):
        services.approve_answer(petition_id=petition.pk, actor=supervisor_a)
    assert refetch(petition).state == State.ANSWER_REVIEW

    other = Actor.staff(
        factories.staff("supervisor_a2", Role.SUPERVISOR, reviewed_agency)
    )
    assert "approve_answer" in permissions.allowed_actions(
        permissions.StaffRoles.of(other), petition
    )
    services.approve_answer(petition_id=petition.pk, actor=other)
    assert refetch(petition).state == State.ANSWERED


def test_supervisor_returns_answer_for_rework_with_reason(
    reviewed_agency, in_progress, handler_a, supervisor_a
):
    services.answer_petition(petition_id=in_progress.pk, actor=handler_a, text="Nháp")
    with pytest.raises(InvalidInput, match="reason"):
        services.return_answer(
            petition_id=in_progress.pk, actor=supervisor_a, reason=""
        )
    services.return_answer(
        petition_id=in_progress.pk, actor=supervisor_a, reason="Thiếu căn cứ pháp lý"
    )
    assert refetch(in_progress).state == State.IN_PROGRESS


def test_approve_without_review_is_refused(in_progress, supervisor_a):
    with pytest.raises(NotAllowedNow):
        services.approve_answer(petition_id=in_progress.pk, actor=supervisor_a)


def test_submitter_disputes_an_answer(answered, citizen):
    services.reopen_petition(
        petition_id=answered.pk, actor=citizen, reason="Đường vẫn hỏng"
    )
    assert refetch(answered).state == State.IN_PROGRESS


def test_a_petition_closed_unanswered_cannot_be_disputed(
    awaiting_info, supervisor_a, citizen
):
    # Expired: closed because the submitter never sent what was asked. No answer,
    # so nothing to dispute, and no "reopened" figure for it.
    with time_machine.travel(awaiting_info.info_due_at, tick=False):
        services.expire_petition(petition_id=awaiting_info.pk, actor=supervisor_a)
    with pytest.raises(NotAllowedNow, match="Only an answer"):
        services.reopen_petition(
            petition_id=awaiting_info.pk, actor=citizen, reason="Tôi quên"
        )
    assert refetch(awaiting_info).state == State.CLOSED


def test_a_petition_whose_data_was_erased_cannot_be_disputed(answered, citizen):
    # No one left to answer a dispute to, and what it said would stay for good.
    Petition.objects.filter(pk=answered.pk).update(anonymised_at=answered.answered_at)
    with pytest.raises(NotAllowedNow, match="erased"):
        services.reopen_petition(petition_id=answered.pk, actor=citizen, reason="x")
    assert refetch(answered).state == State.ANSWERED


def test_reopen_after_dispute_window_is_refused(answered, citizen, time_machine):
    # The window ends with its last day (Civil Code art. 148), not to the minute.
    until = permissions.dispute_until(refetch(answered))
    assert until.astimezone(VIETNAM).time() == time.min
    time_machine.move_to(until)
    with pytest.raises(NotAllowedNow, match="within 30 days"):
        services.reopen_petition(petition_id=answered.pk, actor=citizen, reason="x")


@pytest.mark.parametrize(
    "answered_at, last_day",
    [
        # Friday 4 December 2026 + 30 days: Sunday 3 January, so Monday the 4th.
        (datetime(2026, 12, 4, 3, 0, tzinfo=UTC), date(2027, 1, 4)),
        # Late in the evening in Hà Nội: the day is Vietnam's, not UTC's.
        (datetime(2026, 12, 9, 17, 30, tzinfo=UTC), date(2027, 1, 11)),
        (datetime(2026, 12, 8, 2, 0, tzinfo=UTC), date(2027, 1, 7)),
    ],
)
def test_the_dispute_window_ends_with_a_working_day(answered_at, last_day, answered):
    petition = refetch(answered)
    petition.answered_at = answered_at
    until = permissions.dispute_until(petition)
    assert until == datetime.combine(
        last_day + timedelta(days=1), time.min, tzinfo=VIETNAM
    )


def test_staff_cannot_reopen(answered, handler_a):
    with pytest.raises(NotPermitted):
        services.reopen_petition(petition_id=answered.pk, actor=handler_a, reason="x")


def test_submitter_closes_answered_petition(answered, citizen, handler_a):
    with pytest.raises(NotPermitted):
        services.close_petition(petition_id=answered.pk, actor=handler_a)
    services.close_petition(petition_id=answered.pk, actor=citizen)
    assert refetch(answered).state == State.CLOSED


def test_close_an_open_petition_is_refused(in_progress, citizen):
    with pytest.raises(NotAllowedNow, match="close"):
        services.close_petition(petition_id=in_progress.pk, actor=citizen)


def test_submitter_withdraws_an_open_petition(in_progress, citizen, handler_a):
    with pytest.raises(NotPermitted):
        services.withdraw_petition(petition_id=in_progress.pk, actor=handler_a)
    services.withdraw_petition(petition_id=in_progress.pk, actor=citizen)
    assert refetch(in_progress).state == State.WITHDRAWN


def test_withdraw_an_answered_petition_is_refused(answered, citizen):
    with pytest.raises(NotAllowedNow, match="withdraw"):
        services.withdraw_petition(petition_id=answered.pk, actor=citizen)


def test_merge_a_duplicate_into_another_petition(
    submit, routed_to_a, handler_a, handler_b
):
    first, duplicate = submit(), submit()
    with pytest.raises(InvalidInput, match="No petition"):
        services.merge_petition(
            petition_id=duplicate.pk,
            actor=handler_b,
            into_tracking_code=first.tracking_code,
            reason="Trùng",
        )
    with pytest.raises(InvalidInput, match="reason"):
        services.merge_petition(
            petition_id=duplicate.pk,
            actor=handler_a,
            into_tracking_code=first.tracking_code,
            reason="",
        )
    services.merge_petition(
        petition_id=duplicate.pk,
        actor=handler_a,
        into_tracking_code=first.tracking_code,
        reason="Trùng nội dung",
    )
    duplicate = refetch(duplicate)
    assert duplicate.state == State.MERGED
    assert duplicate.merged_into == first


def test_merge_into_itself_or_unknown_is_refused(assigned, handler_a):
    with pytest.raises(InvalidInput, match="No other petition"):
        services.merge_petition(
            petition_id=assigned.pk,
            actor=handler_a,
            into_tracking_code=assigned.tracking_code,
            reason="x",
        )
    with pytest.raises(InvalidInput, match="No other petition"):
        services.merge_petition(
            petition_id=assigned.pk,
            actor=handler_a,
            into_tracking_code="NOPE",
            reason="x",
        )


def test_stale_version_is_refused_as_changed_meanwhile(assigned, handler_a):
    version = refetch(assigned).version
    services.accept_petition(
        petition_id=assigned.pk, actor=handler_a, expected_version=version
    )
    with pytest.raises(PetitionChanged, match="changed meanwhile"):
        services.transfer_petition(
            petition_id=assigned.pk,
            actor=handler_a,
            agency_id=1,
            reason="x",
            expected_version=version,
        )


def test_state_cannot_be_assigned_directly(assigned):
    petition = refetch(assigned)
    # FSMField(protected=True): only transitions move the state.
    with pytest.raises(AttributeError, match="Direct state modification"):
        petition.state = State.CLOSED


def test_supervisor_of_parent_agency_supervises_child_agency(submit, land):
    parent = factories.agency("ubnd-lang-son")
    child = factories.agency("ubnd-xa-1", parent=parent, level="commune")
    factories.rule(child, category=land)
    from workflow.access import Actor

    boss = Actor.staff(factories.staff("chairman", "supervisor", parent))
    petition = submit()
    services.reject_petition(petition_id=petition.pk, actor=boss, reason="Trùng")
    assert refetch(petition).state == State.REJECTED
