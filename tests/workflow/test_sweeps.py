"""The SLA sweep: warnings, breaches, escalations, reminders and expiry, each once."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from notifications.models import Notification
from tests import factories
from workflow import services, sweeps
from workflow.models import Clock, HistoryEntry, Petition, SlaAlert
from workflow.sla import sla_status

RECEIVED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội
ANSWER_DUE = datetime(2026, 3, 23, 17, 0, tzinfo=UTC)


def at(moment, fn, **kwargs):
    with time_machine.travel(moment, tick=False):
        return fn(**kwargs)


@pytest.fixture
def in_progress(submit, routed_to_a, handler_a, supervisor_a):
    with time_machine.travel(RECEIVED, tick=False):
        petition = submit()
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
    return petition


def answer_clock(petition):
    return Clock.objects.get(petition=petition, kind="answer", cycle=1)


def alerts(petition):
    return sorted(
        SlaAlert.objects.filter(clock__petition=petition).values_list(
            "clock__kind", "kind"
        )
    )


def test_nothing_due_does_nothing(in_progress):
    assert sweeps.sweep(now=RECEIVED + timedelta(hours=1)) == {}


def test_warning_at_75_percent_once_however_often_the_sweep_runs(in_progress):
    warn_at = answer_clock(in_progress).warn_at
    sweeps.sweep(now=warn_at + timedelta(minutes=1))
    sweeps.sweep(now=warn_at + timedelta(minutes=2))
    assert ("answer", "warning") in alerts(in_progress)
    assert SlaAlert.objects.filter(kind="warning", clock__kind="answer").count() == 1
    rows = Notification.objects.filter(event="warning", petition_id=in_progress.pk)
    assert rows.count() == 1
    assert rows.get().recipient_address == "handler_a@staff.example"


def test_warnings_wait_for_office_hours(in_progress):
    warn_at = answer_clock(in_progress).warn_at
    night = warn_at.replace(hour=16)  # 23:00 in Hà Nội
    night = night if night > warn_at else night + timedelta(days=1)
    sweeps.sweep(now=night)
    row = Notification.objects.get(event="warning", petition_id=in_progress.pk)
    # Held until 08:00 local (01:00 UTC) of the next working day.
    assert row.next_attempt_at.hour == 1
    assert row.next_attempt_at > night


def test_breach_is_recorded_at_the_due_moment_and_escalated(in_progress, agency_a):
    parent = factories.agency("ubnd-lang-son")
    agency_a.parent = parent
    agency_a.save()
    factories.staff("chairman", "supervisor", parent)
    late = ANSWER_DUE + timedelta(hours=5)
    done = sweeps.sweep(now=late)
    assert done["breach"] >= 1
    clock = answer_clock(in_progress)
    # The breach time is the due moment, not the time the sweep happened to run.
    assert clock.breached_at == ANSWER_DUE
    petition = Petition.objects.get(pk=in_progress.pk)
    assert petition.breached_at == ANSWER_DUE
    alert = SlaAlert.objects.get(clock=clock, kind="breach")
    assert (alert.at, alert.recorded_at) == (ANSWER_DUE, late)
    assert alert.snapshot["amount"] == 20 and alert.snapshot["unit"] == "days"
    escalated = set(
        Notification.objects.filter(event="escalation").values_list(
            "recipient_address", flat=True
        )
    )
    assert escalated == {"supervisor_a@staff.example", "chairman@staff.example"}
    entry = HistoryEntry.objects.filter(petition=petition).order_by("-seq").first()
    assert (entry.action, entry.data["clock"]) == ("breach", "answer")
    call_command("verify_audit")  # the sweep extends the chain properly


def test_catching_up_after_downtime_records_the_breach_not_the_stale_warnings(
    in_progress,
):
    sweeps.sweep(now=ANSWER_DUE + timedelta(days=2))
    assert ("answer", "breach") in alerts(in_progress)
    assert ("answer", "warning") not in alerts(in_progress)


def test_a_breach_is_never_cleared_even_after_the_answer(in_progress, handler_a):
    sweeps.sweep(now=ANSWER_DUE + timedelta(minutes=1))
    at(
        ANSWER_DUE + timedelta(days=1),
        services.answer_petition,
        petition_id=in_progress.pk,
        actor=handler_a,
        text="Muộn",
    )
    petition = Petition.objects.get(pk=in_progress.pk)
    assert petition.breached_at == ANSWER_DUE
    assert sla_status(petition, ANSWER_DUE + timedelta(days=2)) == "overdue"


def test_answer_given_late_while_the_sweep_was_down_is_still_a_breach(
    in_progress, handler_a
):
    at(
        ANSWER_DUE + timedelta(hours=2),
        services.answer_petition,
        petition_id=in_progress.pk,
        actor=handler_a,
        text="Muộn",
    )
    sweeps.sweep(now=ANSWER_DUE + timedelta(days=3))
    assert answer_clock(in_progress).breached_at == ANSWER_DUE


def test_answer_on_time_is_never_judged_again(in_progress, handler_a):
    at(
        ANSWER_DUE - timedelta(days=1),
        services.answer_petition,
        petition_id=in_progress.pk,
        actor=handler_a,
        text="Đúng hạn",
    )
    sweeps.sweep(now=ANSWER_DUE + timedelta(days=30))
    assert ("answer", "breach") not in alerts(in_progress)
    assert Petition.objects.get(pk=in_progress.pk).breached_at is None


def test_many_due_clocks_are_all_handled_in_one_sweep(
    submit, routed_to_a, handler_a, monkeypatch
):
    with time_machine.travel(RECEIVED, tick=False):
        petitions = [submit() for _ in range(7)]
    monkeypatch.setattr(sweeps, "BATCH_SIZE", 2)
    monkeypatch.setattr(sweeps.check_due_clocks, "__kwdefaults__", {"limit": 2})
    sweeps.sweep(now=ANSWER_DUE + timedelta(minutes=1))
    # No silent cap: every petition's breach is there after one sweep.
    assert (
        Petition.objects.filter(
            pk__in=[p.pk for p in petitions], breached_at=ANSWER_DUE
        ).count()
        == 7
    )


def test_progress_reminder_every_seven_days_while_overdue(in_progress):
    sweeps.sweep(now=ANSWER_DUE + timedelta(minutes=1))
    sweeps.sweep(now=ANSWER_DUE + timedelta(days=7, minutes=1))
    sweeps.sweep(now=ANSWER_DUE + timedelta(days=7, minutes=2))
    sweeps.sweep(now=ANSWER_DUE + timedelta(days=14, minutes=1))
    reminders = Notification.objects.filter(
        event="progress_due", petition_id=in_progress.pk
    )
    assert sorted(r.context["weeks_overdue"] for r in reminders) == [1, 2]


def test_a_supervisor_gets_one_list_for_many_breaches(
    submit, routed_to_a, supervisor_a
):
    with time_machine.travel(RECEIVED, tick=False):
        petitions = [submit() for _ in range(3)]
    sweeps.sweep(now=ANSWER_DUE + timedelta(minutes=1))
    [escalation] = Notification.objects.filter(event="escalation")
    assert escalation.recipient_address == "supervisor_a@staff.example"
    assert sorted(
        p["tracking_code"] for p in escalation.context["petitions"]
    ) == sorted(p.tracking_code for p in petitions)
    from notifications.rendering import render

    texts = render(escalation)
    assert texts.subject == "Báo cáo quá hạn: 3 phản ánh"
    assert all(p.tracking_code in texts.body for p in petitions)


def test_unanswered_question_expires_after_the_reply_period(
    in_progress, handler_a, settings
):
    settings.SLA_INFO_REPLY_WORKING_DAYS = 3
    at(
        RECEIVED,
        services.request_information,
        petition_id=in_progress.pk,
        actor=handler_a,
        question="Số thửa?",
    )
    assert sweeps.expire_unanswered(now=datetime(2026, 3, 5, 16, 0, tzinfo=UTC)) == 0
    with time_machine.travel(datetime(2026, 3, 5, 17, 1, tzinfo=UTC), tick=False):
        assert (
            sweeps.expire_unanswered(now=datetime(2026, 3, 5, 17, 1, tzinfo=UTC)) == 1
        )
    petition = Petition.objects.get(pk=in_progress.pk)
    assert petition.state == "closed"
    assert petition.history.order_by("-seq").first().action == "expire"


def test_sla_sweep_command_reports_what_it_did(in_progress, capsys):
    with time_machine.travel(ANSWER_DUE + timedelta(minutes=1), tick=False):
        call_command("sla_sweep")
    assert "breach=" in capsys.readouterr().out


def test_adding_a_day_off_moves_open_deadlines_but_not_recorded_breaches(
    submit, routed_to_a, handler_a, django_capture_on_commit_callbacks
):
    from workflow.models import Calendar, CalendarException
    from workflow.sla import NATIONAL_CALENDAR

    with time_machine.travel(RECEIVED, tick=False):
        open_one = submit()
    with time_machine.travel(RECEIVED - timedelta(days=40), tick=False):
        old_one = submit()
    sweeps.sweep(now=RECEIVED)
    old_breach = Petition.objects.get(pk=old_one.pk).breached_at
    assert old_breach is not None
    national = Calendar.objects.get(name=NATIONAL_CALENDAR)
    # Monday 23 March, the due day, becomes a day off: the deadline moves a day.
    with django_capture_on_commit_callbacks(execute=True):
        CalendarException.objects.create(
            calendar=national, day="2026-03-23", is_working_day=False, note="Nghỉ bù"
        )
    assert Petition.objects.get(pk=open_one.pk).due_at == ANSWER_DUE + timedelta(days=1)
    old = Petition.objects.get(pk=old_one.pk)
    assert old.breached_at == old_breach
    assert (
        SlaAlert.objects.get(
            clock__petition=old, clock__kind="answer", kind="breach"
        ).at
        == old_breach
    )
