"""Closed periods (chốt số liệu): stored once, unchanged by late events, provable."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tests.support.tampering import behind_the_triggers_back
from workflow import services, sweeps
from workflow.access import Actor
from workflow.errors import InvalidInput, NotAllowedNow
from workflow.history import insert_entries, next_values
from workflow.models import ClosedPeriod, HistoryEntry, Petition
from workflow.reports import closing, rollup
from workflow.reports.periods import Period
from workflow.reports.report import auditor_report

MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
APRIL = Period(date(2026, 4, 1), date(2026, 4, 30))
EARLY_APRIL = datetime(2026, 4, 2, 3, 0, tzinfo=UTC)


def at(moment, fn, **kwargs):
    with time_machine.travel(moment, tick=False):
        return fn(**kwargs)


@pytest.fixture
def march(submit, routed_to_a, handler_a):
    """Two petitions of March: one answered on time, one still open and overdue at
    the end of the month, whose breach the sweep (down that week) has not recorded."""
    answered, overdue = at(MONDAY, submit, title="Xong"), at(MONDAY, submit)
    for petition in (answered, overdue):
        at(MONDAY, services.accept_petition, petition_id=petition.pk, actor=handler_a)
    at(
        MONDAY + timedelta(days=7),
        services.answer_petition,
        petition_id=answered.pk,
        actor=handler_a,
        text="Đã giải quyết.",
    )
    return answered, overdue


def test_a_closed_period_keeps_its_figures_when_events_arrive_late(
    march, handler_a, capsys
):
    answered, overdue = march
    closed = closing.close_period(MARCH, now=EARLY_APRIL)
    stored = closing.figures_of(closed)
    total = stored["total"][""]
    assert (total.resolved_on_time, total.open_overdue, total.case_breaches) == (
        1,
        1,
        0,
    )

    # In April the sweep catches up (the breach is recorded now, dated at the
    # deadline of 23 March) and the overdue petition is answered.
    later = datetime(2026, 4, 3, 3, 0, tzinfo=UTC)
    at(later, sweeps.sweep, now=later)
    at(
        later + timedelta(days=1),
        services.answer_petition,
        petition_id=overdue.pk,
        actor=handler_a,
        text="Trả lời muộn.",
    )

    # March as closed, as recomputed from the history, and as the rollups say: the
    # same. The late events belong to April, when they were recorded.
    report = auditor_report(MARCH)
    assert report.closed == closed and report.total == total
    assert rollup.period_figures(MARCH) == stored
    assert closing.verify_closed(closed).matches is True
    april = rollup.period_figures(APRIL)["total"][""]
    assert (april.carried_over, april.case_breaches, april.resolved_late) == (1, 1, 1)
    call_command("verify_report")
    assert "OK: 2026-03-01..2026-03-31 matches the history" in capsys.readouterr().out


def test_verify_report_fails_when_the_history_before_the_end_was_altered(march, capsys):
    answered, _overdue = march
    closing.close_period(MARCH, now=EARLY_APRIL)
    # Someone with the table owner's rights removes the answer behind the trigger.
    behind_the_triggers_back(
        "DELETE FROM workflow_historyentry WHERE petition_id = %s AND action = %s",
        [answered.pk, "answer"],
    )
    with pytest.raises(CommandError, match="1 closed period"):
        call_command("verify_report")
    errors = capsys.readouterr().err
    assert "the history dated before the period's end changed" in errors
    assert "total -: resolved_on_time 1 → 0" in errors


def test_an_entry_slipped_into_a_closed_period_is_found(march):
    answered, _overdue = march
    closed = closing.close_period(MARCH, now=EARLY_APRIL)
    # An entry dated inside March but written after the period was closed.
    petition = Petition.objects.get(pk=answered.pk)
    with transaction.atomic():
        insert_entries(
            [
                next_values(
                    petition,
                    actor=Actor.system(),
                    action="rate",
                    from_state=petition.state,
                    at=datetime(2026, 3, 20, 3, 0, tzinfo=UTC),
                    due_at=petition.due_at,
                )
            ]
        )
    check = closing.verify_closed(closed)
    assert check.history_matches is False and check.matches is False
    assert check.entries_now == closed.history_entries + 1


def test_a_period_is_closed_once_and_only_after_it_ended(march):
    with pytest.raises(InvalidInput, match="has not ended yet"):
        closing.close_period(MARCH, now=datetime(2026, 3, 31, 10, 0, tzinfo=UTC))
    closing.close_period(MARCH, now=EARLY_APRIL)
    with pytest.raises(NotAllowedNow, match="already closed"):
        closing.close_period(MARCH, now=EARLY_APRIL)
    assert ClosedPeriod.objects.count() == 1


def test_a_closed_period_cannot_be_changed_or_removed(march):
    closed = closing.close_period(MARCH, now=EARLY_APRIL)
    for sql in (
        "UPDATE workflow_closedperiod SET figures = '{}' WHERE id = %s",
        "DELETE FROM workflow_closedperiod WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="closed periods do not change"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [closed.pk])
    assert ClosedPeriod.objects.get().figures == closed.figures


def test_close_and_verify_commands(march, capsys):
    with time_machine.travel(EARLY_APRIL, tick=False):
        call_command("close_period", "2026-03-01", "2026-03-31")
    assert "Closed 2026-03-01..2026-03-31" in capsys.readouterr().out
    with time_machine.travel(EARLY_APRIL, tick=False):
        with pytest.raises(CommandError, match="already closed"):
            call_command("close_period", "2026-03-01", "2026-03-31")
    with pytest.raises(CommandError, match="not closed"):
        call_command("verify_report", "--start", "2026-04-01", "--end", "2026-04-30")
    call_command("verify_report", "--start", "2026-03-01", "--end", "2026-03-31")
    assert HistoryEntry.objects.exists()
