"""Clocks through the services: start, pause, resume, transfer, extension, reopen."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from workflow import services
from workflow.errors import InvalidInput, NotAllowedNow, NotPermitted
from workflow.models import Clock, Extension, HistoryEntry, Petition
from workflow.sla import sla_status

# Monday 2 March 2026, 09:00 in Hà Nội (02:00 UTC).
RECEIVED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
# 20 plain days later is Sunday 22 March: the period ends on Monday 23 March at 24:00.
ANSWER_DUE = datetime(2026, 3, 23, 17, 0, tzinfo=UTC)
# 5 working days after Monday 2 March: Monday 9 March at 24:00.
TRIAGE_DUE = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)


def refetch(petition):
    return Petition.objects.get(pk=petition.pk)


def clock(petition, kind, cycle=1):
    return Clock.objects.get(petition=petition, kind=kind, cycle=cycle)


def at(moment, fn, **kwargs):
    with time_machine.travel(moment, tick=False):
        return fn(**kwargs)


@pytest.fixture
def received(submit):
    with time_machine.travel(RECEIVED, tick=False):
        return submit()


@pytest.fixture
def in_progress(submit, routed_to_a, handler_a):
    with time_machine.travel(RECEIVED, tick=False):
        petition = submit()
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
    return petition


def test_receipt_starts_triage_and_answer_clocks_from_the_category_targets(received):
    petition = refetch(received)
    assert clock(petition, "triage").due_at == TRIAGE_DUE
    assert clock(petition, "answer").due_at == ANSWER_DUE
    assert petition.due_at == ANSWER_DUE
    # The earliest running deadline is what the queue sorts by.
    assert petition.next_due_at == TRIAGE_DUE
    # The history entry carries the case deadline it was written under.
    assert HistoryEntry.objects.get(petition=petition).due_at == ANSWER_DUE


def test_triage_stops_its_clock_and_starts_acceptance(received, coordinator, agency_a):
    moment = RECEIVED + timedelta(days=1)
    at(
        moment,
        services.triage_petition,
        petition_id=received.pk,
        actor=coordinator,
        agency_id=agency_a.pk,
    )
    assert clock(received, "triage").stopped_at == moment
    accept = clock(received, "accept")
    # 2 working days after Tuesday 3 March: Thursday 5 March at 24:00.
    assert accept.due_at == datetime(2026, 3, 5, 17, 0, tzinfo=UTC)
    assert accept.agency_id_at_start == agency_a.pk


def test_urgent_priority_uses_its_own_target(submit, land):
    land.targets.create(
        priority="urgent", clock="answer", amount=5, unit="working_days"
    )
    with time_machine.travel(RECEIVED, tick=False):
        petition = submit(priority="urgent")
    # 5 working days after Monday 2 March.
    assert refetch(petition).due_at == TRIAGE_DUE


def test_transfer_keeps_the_case_deadline_and_restarts_acceptance(
    in_progress, handler_a, handler_b, agency_b
):
    moment = RECEIVED + timedelta(days=3)
    at(
        moment,
        services.transfer_petition,
        petition_id=in_progress.pk,
        actor=handler_a,
        agency_id=agency_b.pk,
        reason="Thuộc thẩm quyền Sở Xây dựng",
    )
    petition = refetch(in_progress)
    # No deadline laundering: the answer clock runs on from receipt.
    assert petition.due_at == ANSWER_DUE
    assert clock(petition, "answer").started_at == RECEIVED
    second = clock(petition, "accept", cycle=2)
    assert second.started_at == moment
    assert second.agency_id_at_start == agency_b.pk


def test_awaiting_info_pauses_and_resume_lays_out_the_rest_again(
    in_progress, handler_a, citizen
):
    asked = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # Tuesday 10 March
    at(
        asked,
        services.request_information,
        petition_id=in_progress.pk,
        actor=handler_a,
        question="Số thửa đất?",
    )
    petition = refetch(in_progress)
    assert clock(petition, "answer").is_paused is True
    assert petition.next_due_at is None
    assert sla_status(petition, asked + timedelta(days=30)) == "paused"

    answered = asked + timedelta(days=7)  # Tuesday 17 March
    at(
        answered,
        services.provide_information,
        petition_id=in_progress.pk,
        actor=citizen,
        text="Thửa 12",
    )
    petition = refetch(in_progress)
    # 13 plain days were left after the 10th (11th…23rd): from the 17th, 30 March.
    assert petition.due_at == datetime(2026, 3, 30, 17, 0, tzinfo=UTC)
    assert clock(petition, "answer").is_paused is False


def test_pause_and_resume_the_same_day_leave_the_deadline_alone(
    in_progress, handler_a, citizen
):
    asked = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
    at(
        asked,
        services.request_information,
        petition_id=in_progress.pk,
        actor=handler_a,
        question="?",
    )
    at(
        asked + timedelta(hours=2),
        services.provide_information,
        petition_id=in_progress.pk,
        actor=citizen,
        text="!",
    )
    assert refetch(in_progress).due_at == ANSWER_DUE


def test_answer_stops_the_clock_only_when_it_goes_out(
    in_progress, handler_a, supervisor_a, agency_a
):
    agency_a.requires_answer_review = True
    agency_a.save()
    moment = RECEIVED + timedelta(days=5)
    at(
        moment,
        services.answer_petition,
        petition_id=in_progress.pk,
        actor=handler_a,
        text="Trả lời",
    )
    assert clock(in_progress, "answer").stopped_at is None
    at(
        moment + timedelta(hours=3),
        services.approve_answer,
        petition_id=in_progress.pk,
        actor=supervisor_a,
    )
    assert clock(in_progress, "answer").stopped_at == moment + timedelta(hours=3)


def test_extension_once_with_reason_decided_by_a_supervisor(
    in_progress, handler_a, supervisor_a
):
    moment = RECEIVED + timedelta(days=10)
    with pytest.raises(InvalidInput, match="reason"):
        at(
            moment,
            services.request_extension,
            petition_id=in_progress.pk,
            actor=handler_a,
            days=10,
            reason="",
        )
    at(
        moment,
        services.request_extension,
        petition_id=in_progress.pk,
        actor=handler_a,
        days=10,
        reason="Cần xác minh thực địa",
    )
    with pytest.raises(NotPermitted):
        at(
            moment,
            services.decide_extension,
            petition_id=in_progress.pk,
            actor=handler_a,
            approve=True,
        )
    at(
        moment,
        services.decide_extension,
        petition_id=in_progress.pk,
        actor=supervisor_a,
        approve=True,
        note="Đồng ý",
    )
    petition = refetch(in_progress)
    answer = clock(petition, "answer")
    # 10 more plain days from Monday 23 March: Thursday 2 April.
    assert petition.due_at == datetime(2026, 4, 2, 17, 0, tzinfo=UTC)
    assert answer.original_due_at == ANSWER_DUE
    assert Extension.objects.get(petition=petition).status == "approved"
    with pytest.raises(NotAllowedNow, match="only once"):
        at(
            moment,
            services.request_extension,
            petition_id=in_progress.pk,
            actor=handler_a,
            days=3,
            reason="Lần nữa",
        )


def test_no_extension_once_the_deadline_has_passed(
    in_progress, handler_a, supervisor_a
):
    # Asked in time, decided late: approving then would book the late answer as
    # on time; refusing stays possible. Asked late: refused at once.
    at(
        ANSWER_DUE - timedelta(hours=1),
        services.request_extension,
        petition_id=in_progress.pk,
        actor=handler_a,
        days=10,
        reason="Cần xác minh thực địa",
    )
    late = ANSWER_DUE + timedelta(hours=1)
    with pytest.raises(NotAllowedNow, match="deadline has passed"):
        at(
            late,
            services.decide_extension,
            petition_id=in_progress.pk,
            actor=supervisor_a,
            approve=True,
        )
    assert refetch(in_progress).due_at == ANSWER_DUE
    at(
        late,
        services.decide_extension,
        petition_id=in_progress.pk,
        actor=supervisor_a,
        approve=False,
        note="Đã quá hạn",
    )
    Extension.objects.filter(petition=in_progress).delete()
    with pytest.raises(NotAllowedNow, match="deadline has passed"):
        at(
            late,
            services.request_extension,
            petition_id=in_progress.pk,
            actor=handler_a,
            days=5,
            reason="Muộn",
        )


def test_the_supervisor_who_asks_for_an_extension_does_not_decide_it(
    in_progress, supervisor_a, agency_a
):
    # Four eyes, as for answers: another supervisor (or one above) decides.
    from tests import factories
    from workflow.access import Actor
    from workflow.models import Action, Role
    from workflow.permissions import StaffRoles, allowed_actions

    at(
        RECEIVED,
        services.request_extension,
        petition_id=in_progress.pk,
        actor=supervisor_a,
        days=30,
        reason="Tự gia hạn",
    )
    assert Action.DECIDE_EXTENSION not in allowed_actions(
        StaffRoles.of(supervisor_a), refetch(in_progress)
    )
    with pytest.raises(NotPermitted, match="asked for the extension"):
        at(
            RECEIVED,
            services.decide_extension,
            petition_id=in_progress.pk,
            actor=supervisor_a,
            approve=True,
        )
    assert refetch(in_progress).due_at == ANSWER_DUE
    assert Extension.objects.get(petition=in_progress).status == "pending"

    other = Actor.staff(factories.staff("supervisor_a2", Role.SUPERVISOR, agency_a))
    at(
        RECEIVED,
        services.decide_extension,
        petition_id=in_progress.pk,
        actor=other,
        approve=True,
    )
    assert refetch(in_progress).due_at > ANSWER_DUE


def test_refusing_an_extension_needs_a_reason_and_keeps_the_deadline(
    in_progress, handler_a, supervisor_a
):
    at(
        RECEIVED,
        services.request_extension,
        petition_id=in_progress.pk,
        actor=handler_a,
        days=5,
        reason="Cần thêm thời gian",
    )
    with pytest.raises(InvalidInput, match="why"):
        at(
            RECEIVED,
            services.decide_extension,
            petition_id=in_progress.pk,
            actor=supervisor_a,
            approve=False,
        )
    at(
        RECEIVED,
        services.decide_extension,
        petition_id=in_progress.pk,
        actor=supervisor_a,
        approve=False,
        note="Không đủ căn cứ",
    )
    assert refetch(in_progress).due_at == ANSWER_DUE


def test_reopen_starts_a_new_answer_cycle_and_keeps_the_old_one_closed(
    in_progress, handler_a, citizen
):
    answered = RECEIVED + timedelta(days=5)
    at(
        answered,
        services.answer_petition,
        petition_id=in_progress.pk,
        actor=handler_a,
        text="Đã xử lý",
    )
    reopened = answered + timedelta(days=2)
    at(
        reopened,
        services.reopen_petition,
        petition_id=in_progress.pk,
        actor=citizen,
        reason="Chưa giải quyết",
    )
    first, second = clock(in_progress, "answer", 1), clock(in_progress, "answer", 2)
    assert first.stopped_at == answered
    assert first.due_at == ANSWER_DUE
    assert second.started_at == reopened
    assert refetch(in_progress).due_at == second.due_at


def test_final_steps_stop_every_clock(received, citizen):
    at(
        RECEIVED + timedelta(hours=1),
        services.withdraw_petition,
        petition_id=received.pk,
        actor=citizen,
    )
    assert not Clock.objects.filter(petition=received, stopped_at__isnull=True).exists()
    assert refetch(received).next_due_at is None


def test_request_info_sets_when_the_question_expires(in_progress, handler_a, settings):
    settings.SLA_INFO_REPLY_WORKING_DAYS = 3
    at(
        RECEIVED,
        services.request_information,
        petition_id=in_progress.pk,
        actor=handler_a,
        question="?",
    )
    # 3 working days after Monday 2 March: Thursday 5 March at 24:00.
    assert refetch(in_progress).info_due_at == datetime(2026, 3, 5, 17, 0, tzinfo=UTC)


def test_status_is_on_track_then_at_risk_then_overdue(in_progress):
    petition = refetch(in_progress)
    assert sla_status(petition, RECEIVED + timedelta(days=1)) == "on_track"
    assert sla_status(petition, petition.next_warn_at) == "at_risk"
    assert sla_status(petition, ANSWER_DUE + timedelta(seconds=1)) == "overdue"


def test_deadlines_do_not_depend_on_the_servers_time_zone(submit, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        with time_machine.travel(RECEIVED, tick=False):
            petition = submit()
    finally:
        monkeypatch.undo()
        time.tzset()
    assert refetch(petition).due_at == ANSWER_DUE
