"""The staff read side on the real database, with petitions made through services."""

from datetime import UTC, date, datetime, timedelta

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
    services.request_extension(
        petition_id=first.pk, actor=handler_a, days=5, reason="Cần xác minh thực địa"
    )
    figures = queries.dashboard_figures(supervisor_a, now=MONDAY + timedelta(days=3))
    assert [e.petition_id for e in figures.pending_extensions] == [first.pk]


def test_dashboard_of_another_agency_is_empty(three_at_a, agency_b):
    from workflow.access import Actor

    other = Actor.staff(factories.staff("supervisor_b", "supervisor", agency_b))
    figures = queries.dashboard_figures(other, now=MONDAY + timedelta(days=3))
    assert figures.open_count == 0 and figures.load == []


# --- auditor figures ------------------------------------------------------------


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


MARCH = queries.Period(date(2026, 3, 1), date(2026, 3, 31))


def test_report_counts_received_answered_on_time_and_overdue_per_agency(
    quarter, agency_a, agency_b
):
    report = queries.on_time_report(MARCH, by="agency", now=LATER)
    rows = {row.key: row for row in report.rows}
    a, b = rows[agency_a.pk], rows[agency_b.pk]
    assert (a.received, a.answered, a.on_time, a.overdue_open) == (3, 2, 1, 1)
    assert (b.received, b.answered, b.on_time, b.overdue_open) == (1, 1, 1, 0)
    assert a.on_time_rate == 50.0
    assert report.total.received == 4 and report.total.on_time == 2
    assert report.total.on_time_rate == pytest.approx(200 / 3)


def test_report_averages_handling_time_in_working_days(quarter, agency_a, agency_b):
    report = queries.on_time_report(MARCH, by="agency", now=LATER)
    rows = {row.key: row for row in report.rows}
    late_days = CALENDAR.working_days_between(date(2026, 3, 2), date(2026, 4, 1))
    # The day of receipt is not counted: Monday → next Monday is 5 working days.
    assert rows[agency_a.pk].average_working_days == (5 + late_days) / 2
    assert rows[agency_b.pk].average_working_days == 2


def test_report_by_province_adds_up_the_same_petitions(quarter):
    report = queries.on_time_report(MARCH, by="province", now=LATER)
    [row] = report.rows
    assert row.name == factories.province().name
    assert (row.received, row.answered, row.on_time) == (4, 3, 2)


def test_report_leaves_out_petitions_received_outside_the_period(quarter):
    april = queries.Period(date(2026, 4, 1), date(2026, 4, 30))
    assert queries.on_time_report(april, by="agency", now=LATER).rows == []


def test_report_period_follows_local_dates(submit, routed_to_a):
    # 23:30 on 31 March in Hà Nội (16:30 UTC) belongs to March.
    at(datetime(2026, 3, 31, 16, 30, tzinfo=UTC), submit)
    assert queries.on_time_report(MARCH, by="agency", now=LATER).total.received == 1
    # 00:30 on 1 April in Hà Nội (still 31 March in UTC) belongs to April.
    at(datetime(2026, 3, 31, 17, 30, tzinfo=UTC), submit)
    assert queries.on_time_report(MARCH, by="agency", now=LATER).total.received == 1


def test_drill_down_lists_the_petitions_behind_each_figure(quarter, agency_a):
    def listed(measure, **where):
        return set(
            codes(queries.report_petitions(MARCH, measure=measure, now=LATER, **where))
        )

    q = quarter
    assert listed("on_time", agency_id=agency_a.pk) == {q["quick"].tracking_code}
    assert listed("late") == {q["late"].tracking_code}
    assert listed("overdue_open") == {q["open"].tracking_code}
    assert len(listed("received", province_id=factories.province().pk)) == 4


def test_overdue_trend_counts_breaches_per_iso_week_zeros_included(quarter):
    weeks = queries.overdue_trend(MARCH)
    assert weeks[0].week_start == date(2026, 2, 23) and weeks[0].label == "2026-W09"
    assert [w.count for w in weeks if w.count] == [2]
    assert sum(w.count for w in weeks) == 2
    assert len(weeks) == 6  # W09 … W14


def test_working_day_numbers_count_like_the_calendar():
    start = date(2026, 1, 1)  # spans Tết 2026
    numbers = queries.working_day_numbers(start, date(2026, 4, 30), CALENDAR)
    for a in range(0, 119, 7):
        for b in range(a, 119, 11):
            expected = CALENDAR.working_days_between(
                start + timedelta(days=a), start + timedelta(days=b)
            )
            assert numbers[b] - numbers[a] == expected


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
