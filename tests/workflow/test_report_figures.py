"""The auditor figures, case by case, each checked three ways.

Every figure read here is computed by the rollups the history trigger keeps
(before and after they are folded), by the from-history recomputation a closed
period uses, and by the independent recomputation in tests/support (its own
calendar and deadline arithmetic, from clocks and events); all three must agree.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from tests import factories
from tests.support.report_recompute import recompute
from workflow import demo, services, sweeps
from workflow.access import Actor
from workflow.deadlines import WorkingCalendar
from workflow.models import Petition
from workflow.reports import history, listing, rollup
from workflow.reports.figures import Figures
from workflow.reports.periods import Period

MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
APRIL = Period(date(2026, 4, 1), date(2026, 4, 30))


def local(day, hour=9, minute=0):
    """A moment in Hà Nội time (UTC+7)."""
    return datetime(2026, day[0], day[1], hour, minute, tzinfo=UTC) - timedelta(hours=7)


def midnight(month, day):
    """00:00 Hà Nội time of a day: where a deadline falls (24:00 of the day before)."""
    return local((month, day), 0)


def at(moment, fn, **kwargs):
    with time_machine.travel(moment, tick=False):
        return fn(**kwargs)


def sweep(moment):
    """The every-minute sweep, at that minute."""
    with time_machine.travel(moment, tick=False):
        sweeps.sweep(now=moment)


def figures(period, by="total", key=""):
    """One row of the period's figures; every way of computing them agrees.

    The sweep first catches up to the period's end, as the every-minute schedule
    would have: the independent count takes breaches from the clocks.
    """
    demo.sweep_until(period.end_at)
    stored = rollup.period_figures(period)
    rollup.fold_pending()
    assert rollup.period_figures(period) == stored
    from_history, _entries, _digest = history.figures_as_of_end(period)
    assert {d: rows for d, rows in from_history.items() if rows} == {
        d: rows for d, rows in stored.items() if rows
    }
    independent = recompute(period.start_on, period.end_on)
    for dimension, rows in stored.items():
        for row_key in set(rows) | set(independent.get(dimension, {})):
            counted = Figures.from_dict(independent.get(dimension, {}).get(row_key, {}))
            assert rows.get(row_key, Figures()) == counted, (dimension, row_key)
    for rows in stored.values():
        for row in rows.values():
            assert row.is_balanced()
    return stored[by].get(key, Figures())


def by_agency(period, agency):
    return figures(period, "agency", str(agency.pk))


@pytest.fixture
def handled(submit, routed_to_a, handler_a):
    """A petition received by agency A and accepted within the hour."""

    def receive(moment=MONDAY, **fields):
        petition = at(moment, submit, **fields)
        at(
            moment + timedelta(hours=1),
            services.accept_petition,
            petition_id=petition.pk,
            actor=handler_a,
        )
        return petition

    return receive


def answer(moment, petition, actor):
    at(
        moment,
        services.answer_petition,
        petition_id=petition.pk,
        actor=actor,
        text="Đã giải quyết.",
    )


def reopen(moment, petition):
    at(
        moment,
        services.reopen_petition,
        petition_id=petition.pk,
        actor=Actor.submitter(),
        reason="Chưa giải quyết được vấn đề.",
    )


def test_on_time_then_reopened_and_late_counts_each_cycle_once(handled, handler_a):
    petition = handled()
    answer(local((3, 9)), petition, handler_a)  # the first cycle: due 23/3
    reopen(local((3, 12)), petition)  # the second: due 1/4 (24:00)
    sweep(midnight(4, 2))
    answer(local((4, 6)), petition, handler_a)

    march = figures(MARCH)
    # The first cycle counts on time, whatever became of the second: it is judged
    # once, when its answer went out, and a finished cycle is never judged again.
    assert (march.resolved_on_time, march.resolved_late) == (1, 0)
    assert (march.received, march.reopened, march.open_within) == (1, 1, 1)
    april = figures(APRIL)
    assert (april.carried_over, april.resolved_on_time, april.resolved_late) == (
        1,
        0,
        1,
    )
    assert april.case_breaches == 1 and april.on_time_rate == 0
    # The petition itself keeps its breach: overdue is a fact on the case page.
    assert Petition.objects.get(pk=petition.pk).breached_at == midnight(4, 2)


def test_only_a_step_clock_breached_leaves_the_case_figures_on_time(
    submit, routed_to_a, handler_a
):
    slow = at(MONDAY, submit)
    # Accepted on Friday: the two working days for acceptance ended Wednesday 24:00.
    sweep(midnight(3, 5))
    at(local((3, 6)), services.accept_petition, petition_id=slow.pk, actor=handler_a)
    answer(local((3, 10)), slow, handler_a)
    still_open = at(local((3, 20)), submit)
    sweep(midnight(3, 25))
    at(
        local((3, 26)),
        services.accept_petition,
        petition_id=still_open.pk,
        actor=handler_a,
    )

    march = figures(MARCH)
    assert march.accept_breaches == 2
    # Never mixed into the case figures: answered on time, open within deadline.
    assert (march.resolved_on_time, march.resolved_late, march.case_breaches) == (
        1,
        0,
        0,
    )
    assert (march.open_within, march.open_overdue) == (1, 0)


def test_a_reopened_petition_is_overdue_only_if_its_current_cycle_is(
    handled, handler_a
):
    petition = handled()
    sweep(midnight(3, 24))  # the first cycle's deadline passes unanswered
    answer(local((3, 25)), petition, handler_a)
    reopen(local((3, 26)), petition)

    march = figures(MARCH)
    assert (march.case_breaches, march.resolved_late, march.reopened) == (1, 1, 1)
    # At the end of March the second cycle (due 15/4) is within its deadline: the
    # old breach does not make the petition overdue again.
    assert (march.open_within, march.open_overdue) == (1, 0)
    assert Petition.objects.get(pk=petition.pk).breached_at is not None


def test_a_petition_open_at_the_start_is_carried_over(handled, handler_a):
    petition = handled(local((2, 20)))  # due 12/3
    february = figures(FEBRUARY)
    assert (february.received, february.open_within) == (1, 1)
    answer(local((3, 5)), petition, handler_a)

    march = figures(MARCH)
    assert (march.carried_over, march.received, march.resolved_on_time) == (1, 0, 1)
    assert march.to_handle == 1 and march.open_at_end == 0


def test_a_transfer_credits_the_answer_to_the_resolver_and_the_breach_to_the_holder(
    handled, agency_a, agency_b, handler_a, handler_b
):
    petition = handled()
    sweep(midnight(3, 24))  # breached while agency A holds it
    at(
        local((3, 25)),
        services.transfer_petition,
        petition_id=petition.pk,
        actor=handler_a,
        agency_id=agency_b.pk,
        reason="Thuộc thẩm quyền của đơn vị B",
    )
    at(
        local((3, 25), 14),
        services.accept_petition,
        petition_id=petition.pk,
        actor=handler_b,
    )
    answer(local((3, 27)), petition, handler_b)

    a, b = by_agency(MARCH, agency_a), by_agency(MARCH, agency_b)
    assert (a.received, a.moved_out, a.case_breaches, a.resolved) == (1, 1, 1, 0)
    assert (b.moved_in, b.resolved_late, b.case_breaches) == (1, 1, 0)
    assert a.to_handle == 0 and b.to_handle == 1
    # The province sees one petition that stayed within it: nothing moved in or out.
    province = figures(MARCH, "province", str(factories.province().pk))
    assert (province.moved_in, province.moved_out, province.resolved_late) == (0, 0, 1)
    # Each figure lists the petition behind it, for the agency credited.
    late_at_b = listing.listed(
        MARCH, measure="resolved_late", by="agency", key=str(agency_b.pk)
    )
    breach_at_a = listing.listed(
        MARCH, measure="case_breaches", by="agency", key=str(agency_a.pk)
    )
    assert [r.petition_id for r in late_at_b + breach_at_a] == [petition.pk] * 2
    assert (
        listing.listed(
            MARCH, measure="moved_in", by="province", key=str(factories.province().pk)
        )
        == []
    )
    # Moves are counted per agency: the report's total has none, so the agency
    # table's total (the agencies' sum) is shown unlinked, each agency's linked.
    from workflow.reports import columns

    total = columns.cells(
        figures(MARCH, "agency", str(agency_b.pk)), link="?x", unlisted=("moved_in",)
    )
    moved_in = next(c for c in total if c.column.key == "moved_in")
    assert (moved_in.value, moved_in.href) == (1, "")
    assert listing.listed(MARCH, measure="moved_in") == []


def test_an_approved_extension_is_the_deadline_the_cycle_is_judged_by(
    handled, handler_a, supervisor_a
):
    extended, refused = handled(title="Gia hạn"), handled(title="Không gia hạn")
    for petition, approve in ((extended, True), (refused, False)):
        at(
            local((3, 10)),
            services.request_extension,
            petition_id=petition.pk,
            actor=handler_a,
            days=5,
            reason="Cần xác minh thêm.",
        )
        at(
            local((3, 11)),
            services.decide_extension,
            petition_id=petition.pk,
            actor=supervisor_a,
            approve=approve,
            note="" if approve else "Không đủ lý do.",
        )
    sweep(midnight(3, 24))  # the original deadline: only the refused one breaches
    answer(local((3, 26)), extended, handler_a)  # after 23/3, before 30/3
    answer(local((3, 26)), refused, handler_a)

    march = figures(MARCH)
    assert (march.resolved_on_time, march.resolved_late, march.case_breaches) == (
        1,
        1,
        1,
    )
    assert Petition.objects.get(pk=extended.pk).breached_at is None


def test_average_handling_time_counts_working_days_from_each_cycle_start(
    handled, handler_a
):
    petition = handled()
    answer(local((3, 9)), petition, handler_a)  # Monday to Monday: 5 working days
    reopen(local((3, 10)), petition)
    answer(local((3, 12)), petition, handler_a)  # Tuesday to Thursday: 2

    march = figures(MARCH)
    assert march.working_days == 7 and march.average_working_days == 3.5
    days = WorkingCalendar().working_days_between(date(2026, 3, 2), date(2026, 3, 9))
    assert days == 5


def test_the_period_follows_local_dates(submit, routed_to_a):
    at(datetime(2026, 3, 31, 16, 30, tzinfo=UTC), submit)  # 23:30 on 31/3 in Hà Nội
    at(datetime(2026, 3, 31, 17, 30, tzinfo=UTC), submit)  # 00:30 on 1/4
    assert figures(MARCH).received == 1
    assert figures(APRIL).received == 1 and figures(APRIL).carried_over == 1


def test_the_triage_desk_is_a_row_of_its_own_until_a_coordinator_routes(
    submit, agency_a, coordinator, land
):
    petition = at(MONDAY, submit)  # no routing rule: the triage queue
    sweep(midnight(3, 10))  # 5 working days to route it
    at(
        local((3, 10)),
        services.triage_petition,
        petition_id=petition.pk,
        actor=coordinator,
        agency_id=agency_a.pk,
    )
    desk, a = figures(MARCH, "agency", ""), by_agency(MARCH, agency_a)
    assert (desk.received, desk.moved_out, desk.triage_breaches) == (1, 1, 1)
    # Left unanswered at A: A's breaches, A's overdue petition at the end.
    assert (a.moved_in, a.accept_breaches, a.case_breaches, a.open_overdue) == (
        1,
        1,
        1,
        1,
    )


def test_withdrawn_merged_and_unanswered_questions_end_otherwise(
    handled, handler_a, citizen
):
    received = local((3, 16))  # due 6/4: within the deadline at the end of March
    withdrawn, merged, asked, kept = (handled(received, title=t) for t in "ABCD")
    at(
        local((3, 17)),
        services.withdraw_petition,
        petition_id=withdrawn.pk,
        actor=citizen,
    )
    at(
        local((3, 17)),
        services.merge_petition,
        petition_id=merged.pk,
        actor=handler_a,
        into_tracking_code=kept.tracking_code,
        reason="Trùng nội dung",
    )
    at(
        local((3, 17)),
        services.request_information,
        petition_id=asked.pk,
        actor=handler_a,
        question="Số hồ sơ?",
    )
    march = figures(MARCH)
    assert (march.ended_otherwise, march.open_waiting, march.open_within) == (2, 1, 1)
    answer(local((4, 2)), kept, handler_a)
    # The submitter never replies: closed when the 15 working days are over.
    reply_due = Petition.objects.get(pk=asked.pk).info_due_at
    at(reply_due, sweeps.expire_unanswered, now=reply_due)

    april = figures(APRIL)
    assert (april.carried_over, april.reply_lapses, april.ended_otherwise) == (2, 1, 1)
    assert (april.resolved_on_time, april.open_at_end) == (1, 0)
