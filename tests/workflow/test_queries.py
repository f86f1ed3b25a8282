"""The staff read side on the real database, with petitions made through services."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests import factories
from tests.support.tampering import behind_the_triggers_back
from workflow import queries, services, sweeps
from workflow.deadlines import WorkingCalendar
from workflow.models import Petition, State
from workflow.permissions import StaffRoles

MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
LATER = MONDAY + timedelta(days=60)
CALENDAR = WorkingCalendar()


def at(moment, fn, **kwargs):
    with time_machine.travel(moment, tick=False):
        return fn(**kwargs)


def codes(petitions):
    return [p.tracking_code for p in petitions]


def refetch(petition):
    return Petition.objects.get(pk=petition.pk)


@pytest.fixture
def routed_to_b(agency_b):
    return factories.rule(agency_b, category=factories.category("roads"))


@pytest.fixture
def three_at_a(submit, routed_to_a, handler_a):
    """Three petitions at agency A received a day apart, the first one claimed."""
    first = at(MONDAY, submit, title="Một")
    second = at(MONDAY + timedelta(days=1), submit, title="Hai")
    third = at(MONDAY + timedelta(days=2), submit, title="Ba con đường")
    at(
        MONDAY + timedelta(days=2),
        services.claim_petition,
        petition_id=first.pk,
        actor=handler_a,
    )
    return [refetch(first), refetch(second), refetch(third)]


def queue(actor, now=MONDAY + timedelta(days=3), **filters):
    return list(queries.handler_queue(actor, queries.QueueFilters(**filters), now=now))


def test_queue_puts_the_nearest_deadline_first(three_at_a, handler_a):
    first, second, third = three_at_a
    assert codes(queue(handler_a)) == codes([first, second, third])


def test_queue_puts_petitions_without_a_running_deadline_last(three_at_a, handler_a):
    first, second, third = three_at_a
    Petition.objects.filter(pk=first.pk).update(next_due_at=None)
    assert codes(queue(handler_a)) == codes([second, third, first])


def test_handler_of_another_agency_sees_none_of_them(three_at_a, handler_b):
    assert queue(handler_b) == []


def test_closed_petitions_leave_the_queue(three_at_a, handler_a, citizen):
    first = three_at_a[0]
    services.withdraw_petition(petition_id=first.pk, actor=citizen)
    assert first.tracking_code not in codes(queue(handler_a))


def test_mine_and_unassigned_views_split_the_queue(three_at_a, handler_a):
    first, second, third = three_at_a
    assert codes(queue(handler_a, view="mine")) == [first.tracking_code]
    assert codes(queue(handler_a, view="unassigned")) == codes([second, third])


def test_queue_finds_by_tracking_code_or_words_of_the_title(three_at_a, handler_a):
    first, _second, third = three_at_a
    assert codes(queue(handler_a, search=first.tracking_code.lower())) == [
        first.tracking_code
    ]
    assert codes(queue(handler_a, search="con đường")) == [third.tracking_code]


def test_queue_filters_by_state_category_province_and_handler(
    three_at_a, handler_a, land
):
    first = three_at_a[0]
    services.accept_petition(petition_id=first.pk, actor=handler_a)
    assert codes(queue(handler_a, state=State.IN_PROGRESS)) == [first.tracking_code]
    assert len(queue(handler_a, category_id=land.pk)) == 3
    assert (
        queue(handler_a, province_id=factories.province(factories.THAI_NGUYEN).pk) == []
    )
    assert codes(queue(handler_a, handler_id=handler_a.user.pk)) == [
        first.tracking_code
    ]


def test_overdue_only_keeps_petitions_past_a_deadline(three_at_a, handler_a):
    first, second, third = three_at_a
    # The acceptance clock (2 working days) of the first ran out on Wednesday night.
    now = second.next_due_at + timedelta(minutes=1)
    assert codes(queue(handler_a, now=now, is_overdue_only=True)) == codes(
        [first, second]
    )


def test_triage_view_lists_only_petitions_without_an_agency(
    submit, three_at_a, coordinator, handler_a
):
    waiting = at(MONDAY, submit, category=factories.category("other").code)
    assert codes(queue(coordinator, view="triage")) == [waiting.tracking_code]
    # A handler has no triage view: the filter keeps to their agencies.
    assert queue(handler_a, view="triage") == []


def test_queue_rows_carry_badges_and_claim_buttons(three_at_a, handler_a, auditor):
    first, second, _third = three_at_a
    now = second.next_warn_at + timedelta(minutes=1)
    rows = queries.queue_rows(
        queue(handler_a, now=now), StaffRoles.of(handler_a), now=now
    )
    assert [row.status for row in rows][:2] == ["overdue", "at_risk"]
    assert [row.can_claim for row in rows] == [False, True, True]
    # An auditor reads but never claims.
    rows = queries.queue_rows(
        rows and [r.petition for r in rows], StaffRoles.of(auditor), now=now
    )
    assert not any(row.can_claim for row in rows)


def test_dashboard_counts_load_risk_and_escalations(
    three_at_a, handler_a, supervisor_a
):
    first, second, third = three_at_a
    # A day after the first acceptance deadline passed, the sweep has escalated it.
    now = first.next_due_at + timedelta(hours=1)
    at(now, sweeps.sweep, now=now)
    figures = at(now, queries.dashboard_figures, actor=supervisor_a, now=now)
    assert figures.open_count == 3
    assert figures.overdue == 1
    by_handler = {row["handler__username"]: row["open_count"] for row in figures.load}
    assert by_handler == {None: 2, "handler_a": 1}
    assert [row.petition.pk for row in figures.escalations] == [first.pk]


def test_dashboard_counts_what_falls_due_before_midnight(three_at_a, supervisor_a):
    _first, second, _third = three_at_a
    # The morning of the day the second one's acceptance deadline ends.
    morning = second.next_due_at - timedelta(hours=12)
    figures = queries.dashboard_figures(supervisor_a, now=morning)
    assert figures.due_today == 1


def test_dashboard_lists_extension_requests_to_decide(
    three_at_a, handler_a, supervisor_a
):
    first = three_at_a[0]
    at(
        MONDAY + timedelta(days=1),  # before its deadline, as an extension is asked
        services.request_extension,
        petition_id=first.pk,
        actor=handler_a,
        days=5,
        reason="Cần xác minh thực địa",
    )
    figures = queries.dashboard_figures(supervisor_a, now=MONDAY + timedelta(days=3))
    assert [e.petition_id for e in figures.pending_extensions] == [first.pk]


def test_dashboard_of_another_agency_is_empty(three_at_a, agency_b):
    from workflow.access import Actor

    other = Actor.staff(factories.staff("supervisor_b", "supervisor", agency_b))
    figures = queries.dashboard_figures(other, now=MONDAY + timedelta(days=3))
    assert figures.open_count == 0 and figures.load == []


# --- the auditor's case page ------------------------------------------------------


@pytest.fixture
def quarter(submit, routed_to_a, routed_to_b, handler_a, handler_b):
    """March 2026: two petitions answered on time, one late, one overdue and open."""
    answered_quickly = at(MONDAY, submit)
    at(
        MONDAY,
        services.accept_petition,
        petition_id=answered_quickly.pk,
        actor=handler_a,
    )
    at(
        MONDAY + timedelta(days=7),  # the next Monday: 5 working days
        services.answer_petition,
        petition_id=answered_quickly.pk,
        actor=handler_a,
        text="Đã giải quyết.",
    )
    late = at(MONDAY, submit, title="Trễ")
    at(MONDAY, services.accept_petition, petition_id=late.pk, actor=handler_a)
    still_open = at(MONDAY, submit, title="Còn mở")
    roads = at(MONDAY + timedelta(days=1), submit, category="roads")
    at(
        MONDAY + timedelta(days=1),
        services.accept_petition,
        petition_id=roads.pk,
        actor=handler_b,
    )
    at(
        MONDAY + timedelta(days=3),  # Friday: 2 working days after Tuesday
        services.answer_petition,
        petition_id=roads.pk,
        actor=handler_b,
        text="Đã sửa.",
    )
    # 20 days later the answer deadlines of `late` and `still_open` are breached.
    breach_time = MONDAY + timedelta(days=25)
    at(breach_time, sweeps.sweep, now=breach_time)
    at(
        MONDAY + timedelta(days=30),
        services.answer_petition,
        petition_id=late.pk,
        actor=handler_a,
        text="Trả lời muộn.",
    )
    return {
        "quick": refetch(answered_quickly),
        "late": refetch(late),
        "open": refetch(still_open),
        "roads": refetch(roads),
    }


def test_case_audit_reports_an_intact_chain_and_then_the_break(quarter):
    petition = quarter["late"]
    result = queries.case_audit(petition)
    assert result.is_intact is True
    assert [e.action for e in result.history][:2] == ["submit", "triage"]
    behind_the_triggers_back(
        "UPDATE workflow_historyentry SET reason = 'sửa' WHERE petition_id = %s "
        "AND seq = 2",
        [petition.pk],
    )
    result = queries.case_audit(petition)
    assert result.is_intact is False
    assert result.chain_break.seq == 2
