"""Staff intake: counter, phone, letter, e-mail, fax; the real receipt moment;
back-dating within the admin's limit and visible to auditors."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from notifications.models import Notification
from workflow import receipts
from workflow.deadlines import VIETNAM, WorkingCalendar
from workflow.errors import InvalidInput, NotPermitted
from workflow.models import Clock, HistoryEntry, IntakePolicy, Petition, State

# Wednesday 11 March 2026, 10:00 in Hà Nội; the letter came on Monday 9 March.
WEDNESDAY = datetime(2026, 3, 11, 10, 0, tzinfo=VIETNAM)
MONDAY = datetime(2026, 3, 9, 9, 30, tzinfo=VIETNAM)


def local(moment):
    return moment.astimezone(VIETNAM)


def test_a_letter_received_two_working_days_ago_runs_its_clocks_from_receipt(
    enter, handler_a, routed_to_a, agency_a
):
    with time_machine.travel(WEDNESDAY, tick=False):
        submission = enter(handler_a, received_at=MONDAY)
    petition = Petition.objects.get(pk=submission.petition.pk)
    assert petition.received_at == MONDAY
    assert petition.entered_at == WEDNESDAY
    assert petition.entered_by == handler_a.user
    # Routed like any other channel.
    assert (petition.state, petition.agency) == (State.ASSIGNED, agency_a)
    # 20 days from Monday 9 March end on Sunday 29 March, a day off: the deadline
    # moves to the end of Monday 30 March; counted from the entry it would be 1 April.
    assert local(petition.due_at) == datetime(2026, 3, 31, 0, 0, tzinfo=VIETNAM)
    triage = Clock.objects.get(petition=petition, kind="triage")
    assert triage.started_at == MONDAY
    # Forwarding within 5 working days of Monday: the end of Monday 16 March.
    assert local(triage.due_at) == datetime(2026, 3, 17, 0, 0, tzinfo=VIETNAM)
    # Routing happened at the entry, so the acceptance clock starts then.
    accept = Clock.objects.get(petition=petition, kind="accept")
    assert accept.started_at == WEDNESDAY


def test_the_history_shows_who_entered_it_when_and_the_receipt_claimed(
    enter, handler_a
):
    with time_machine.travel(WEDNESDAY, tick=False):
        petition = enter(handler_a, received_at=MONDAY).petition
    entry = HistoryEntry.objects.get(petition=petition, action="submit")
    assert entry.actor == handler_a.user
    assert entry.at == WEDNESDAY
    assert entry.data == {
        "channel": "post",
        "received_at": MONDAY.astimezone(UTC).isoformat(),
        "entered_at": WEDNESDAY.astimezone(UTC).isoformat(),
        "backdated": True,
        "receipt_source": "staff",
        "province": petition.province_id,
        "commune": None,
        "category": petition.category_id,
    }


def test_an_entry_without_a_receipt_moment_is_received_now_and_not_backdated(
    enter, reception
):
    with time_machine.travel(WEDNESDAY, tick=False):
        petition = enter(reception, channel="counter").petition
    assert petition.received_at == petition.entered_at == WEDNESDAY
    entry = HistoryEntry.objects.get(petition=petition, action="submit")
    assert entry.data["backdated"] is False


def test_a_receipt_moment_within_the_same_minute_is_not_backdated(enter, reception):
    with time_machine.travel(WEDNESDAY + timedelta(seconds=50), tick=False):
        petition = enter(reception, received_at=WEDNESDAY).petition
    assert receipts.is_backdated(petition.received_at, petition.entered_at) is False


def test_back_dating_beyond_the_admins_limit_is_refused(enter, reception):
    # Default limit: 5 working days. Wednesday 11 March minus 5 working days is
    # Wednesday 4 March; Tuesday 3 March is one too many.
    with time_machine.travel(WEDNESDAY, tick=False):
        enter(reception, received_at=datetime(2026, 3, 4, 0, 0, tzinfo=VIETNAM))
        with pytest.raises(InvalidInput, match="at most 5 working days") as refused:
            enter(reception, received_at=datetime(2026, 3, 3, 23, 0, tzinfo=VIETNAM))
    assert refused.value.field == "received_at"
    assert Petition.objects.count() == 1


def test_the_admin_sets_the_limit_in_a_database_row(enter, reception):
    IntakePolicy.objects.create(max_backdate_working_days=1)
    with time_machine.travel(WEDNESDAY, tick=False):
        enter(reception, received_at=datetime(2026, 3, 10, 8, 0, tzinfo=VIETNAM))
        with pytest.raises(InvalidInput, match="at most 1 working days"):
            enter(reception, received_at=MONDAY)


def test_days_off_do_not_count_against_the_limit():
    calendar = WorkingCalendar()
    monday = datetime(2026, 3, 16, 9, 0, tzinfo=VIETNAM)
    # One working day back from a Monday is the Friday before.
    assert receipts.earliest_receipt(monday, 1, calendar) == datetime(
        2026, 3, 13, 0, 0, tzinfo=VIETNAM
    )


def test_a_receipt_moment_in_the_future_is_refused(enter, reception):
    with time_machine.travel(WEDNESDAY, tick=False):
        with pytest.raises(InvalidInput, match="future"):
            enter(reception, received_at=WEDNESDAY + timedelta(minutes=5))


def test_an_auditor_cannot_enter_petitions(enter, auditor):
    with pytest.raises(NotPermitted, match="may enter petitions"):
        enter(auditor)
    assert Petition.objects.count() == 0


def test_a_staff_channel_needs_staff_and_a_machine_channel_refuses_an_entry(
    submit, enter, reception
):
    with pytest.raises(InvalidInput, match="not open to this door"):
        submit(channel="counter")
    with pytest.raises(InvalidInput, match="not entered by staff"):
        enter(reception, channel="portal")


def test_a_postal_address_alone_is_enough_only_for_staff_intake(submit):
    with pytest.raises(InvalidInput, match="only by staff intake"):
        submit(email="", postal_address="Thôn Bản Chắt")


def test_staff_intake_needs_some_way_to_answer(enter, reception):
    with pytest.raises(InvalidInput, match="postal address"):
        enter(reception, postal_address="")


def test_the_database_refuses_a_web_petition_reachable_only_by_post(submit):
    petition = submit()
    with pytest.raises(IntegrityError, match="submitter_can_be_reached"):
        with transaction.atomic():
            Petition.objects.filter(pk=petition.pk).update(
                email="", postal_address="Thôn Bản Chắt"
            )


def test_a_petition_by_post_only_puts_nothing_in_the_outbox_for_the_submitter(
    enter, reception
):
    petition = enter(reception).petition
    assert not Notification.objects.filter(
        petition_id=petition.pk, channel__in=["email", "sms"], recipient_user=None
    ).exists()


def test_a_phone_caller_hears_of_receipt_by_sms_like_any_submitter(enter, reception):
    petition = enter(
        reception, channel="phone", phone="0912345678", postal_address=""
    ).petition
    received = Notification.objects.get(petition_id=petition.pk, event="received")
    assert (received.channel, received.recipient_address) == ("sms", "0912345678")


def test_backdated_entries_list_the_late_entries_longest_delay_first(
    enter, reception, handler_a
):
    with time_machine.travel(WEDNESDAY, tick=False):
        now = enter(reception).petition
        two_days = enter(handler_a, received_at=MONDAY).petition
        one_hour = enter(reception, received_at=WEDNESDAY - timedelta(hours=1)).petition
    rows = list(receipts.backdated_entries(Petition.objects.all()))
    assert [p.pk for p in rows] == [two_days.pk, one_hour.pk]
    assert rows[0].lag == WEDNESDAY - MONDAY
    assert now.pk not in [p.pk for p in rows]
    assert list(receipts.backdated_entries(Petition.objects.all(), channel="fax")) == []
