"""The rollups: booked by the history trigger, folded, rebuilt, kept in step with
the national calendar and with deadlines that a calendar change moves."""

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.utils import timezone

from workflow import demo, services, tasks
from workflow.models import CalendarException, HistoryEntry, Petition
from workflow.models.reports import COUNTS, PendingFigures, ReportFigures
from workflow.models.sla import Calendar
from workflow.reports import rollup
from workflow.reports.periods import Period
from workflow.sla import NATIONAL_CALENDAR

MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def rows():
    """Every rollup row that counts something, with all its counts."""
    found = ReportFigures.objects.values_list("span", "dimension", "on", "key", *COUNTS)
    return sorted(row for row in found if any(row[4:]))


def test_a_rebuild_from_the_history_gives_the_rows_the_trigger_kept(db):
    demo.seed_reference_data()
    demo.seed_petitions(count=40, seed=5)
    assert PendingFigures.objects.exists()
    before = rollup.period_figures(Period.default(now=timezone.now()))
    rollup.fold_pending()
    assert not PendingFigures.objects.exists()
    folded = rows()
    rollup.rebuild()
    # The same rows, count for count, whether booked step by step or at once.
    assert rows() == folded
    assert rollup.period_figures(Period.default(now=timezone.now())) == before


def _draft(category):
    """A web petition routed to agency A (the routed_to_a fixture)."""
    return dict(
        channel="web",
        submitter_kind="citizen",
        submitter_name="Nguyễn Văn An",
        email="an@example.vn",
        title="Đường liên xã xuống cấp",
        content="Đề nghị sửa chữa.",
        category=category.code,
        province=20,
    )


def test_a_batch_of_petitions_is_booked_by_one_statement(db, land, routed_to_a):
    draft = _draft(land)
    with time_machine.travel(MONDAY, tick=False):
        services.submit_petitions([draft, draft, draft])
    early = rollup.period_figures(Period(date(2026, 3, 1), date(2026, 3, 10)))
    assert (early["total"][""].received, early["total"][""].open_within) == (3, 3)
    # At the end of March their deadline (23/3) has passed.
    assert rollup.period_figures(MARCH)["total"][""].open_overdue == 3


def test_a_national_day_off_renumbers_working_days_and_averages_follow(
    submit, routed_to_a, handler_a
):
    with time_machine.travel(MONDAY, tick=False):
        petition = submit()
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
    with time_machine.travel(MONDAY + timedelta(days=7), tick=False):
        services.answer_petition(petition_id=petition.pk, actor=handler_a, text="Xong")
    assert rollup.period_figures(MARCH)["total"][""].working_days == 5
    # A day off decided late, in the week of the answer: one working day fewer.
    national = Calendar.objects.get(name=NATIONAL_CALENDAR)
    CalendarException.objects.create(
        calendar=national, day=date(2026, 3, 4), is_working_day=False
    )
    tasks.recompute_clocks(calendar_id=national.pk)
    assert rollup.period_figures(MARCH)["total"][""].working_days == 4


def test_a_deadline_moved_by_a_calendar_change_is_in_the_history(
    db, routed_to_a, handler_a, submission
):
    from tests import factories

    tax = factories.category("tax", answer=10, answer_unit="working_days")
    factories.rule(routed_to_a.agency, category=tax)
    with time_machine.travel(MONDAY, tick=False):
        petition = submission(category=tax.code).petition
    due_before = Petition.objects.get(pk=petition.pk).due_at
    national = Calendar.objects.get(name=NATIONAL_CALENDAR)
    CalendarException.objects.create(
        calendar=national, day=date(2026, 3, 10), is_working_day=False
    )
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        tasks.recompute_clocks(calendar_id=national.pk)
    moved = Petition.objects.get(pk=petition.pk)
    assert moved.due_at == due_before + timedelta(days=1)
    entry = HistoryEntry.objects.filter(petition=petition).latest("seq")
    # The history records the new deadline, so figures as of any moment use it.
    assert (entry.action, entry.due_at) == ("recompute_deadline", moved.due_at)
    assert entry.data == {"from": due_before.isoformat()}


def _seq_scans(table):
    return _table_reads(table)[0]


def _table_reads(table):
    """(sequential scans, rows read by index) of `table` in this transaction."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq_scan, COALESCE(idx_tup_fetch, 0) "
            "FROM pg_stat_xact_user_tables WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()


def test_the_booking_reads_the_history_by_index_even_when_planned_on_a_small_one(
    db, land, routed_to_a
):
    # The trigger's plan is made once per connection and kept. Made on the small
    # tables of a fresh install it scanned the whole history on every insert
    # from then on, slower as it grew (bench/intake_http.py).
    draft = _draft(land)
    with time_machine.travel(MONDAY, tick=False):
        services.submit_petitions([draft] * 3)  # the plan is made here
        before = _seq_scans("workflow_historyentry")
        services.submit_petitions([draft] * 3)

    assert _seq_scans("workflow_historyentry") == before
    assert PendingFigures.objects.filter(received__gt=0).exists()


def test_the_booking_reads_only_the_petitions_of_its_entries(db, land, routed_to_a):
    # Joined by key, the plan read every petition beside the entries of each
    # insert whenever the planner, on the estimates it had when it made the plan
    # (kept for the connection), found that cheaper than a look-up per entry:
    # bench/intake.py had 10.6 ms a batch of 6 at 3,000 petitions.
    from django.db import connection

    draft = _draft(land)
    with time_machine.travel(MONDAY, tick=False):
        with connection.cursor() as cursor:
            # As on a fresh install: no petitions, a table never analysed (this
            # test's transaction is rolled back), and no plan kept yet ...
            cursor.execute("TRUNCATE workflow_petition CASCADE")
            cursor.execute("DISCARD PLANS")
            # ... and estimates under which a whole read looks the cheaper.
            cursor.execute("SET LOCAL effective_cache_size = '8kB'")
        services.submit_petitions([draft] * 30)  # the plan is made here
        services.submit_petitions([draft] * 400)
        before = _table_reads("workflow_petition")[1]
        services.submit_petitions([draft] * 6)
        read = _table_reads("workflow_petition")[1] - before

    # The batch's own 6, not the 430 others.
    assert read == 6
