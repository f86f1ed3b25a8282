"""Working-day and SLA clock arithmetic, with fixed dates around weekends and Tết.

Pure functions only: this module needs neither Django nor a database.
"""

import os
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workflow.deadlines import (
    AT_RISK,
    DAYS,
    MET,
    ON_TRACK,
    OVERDUE,
    PAUSED,
    VIETNAM,
    WORKING_DAYS,
    ClockEvent,
    DaysLeft,
    Deadline,
    WorkingCalendar,
    deadline_as_read,
    due_at,
    due_on,
    lay_out_clock,
    sla_status,
    working_days_left,
)

NEW_YORK = ZoneInfo("America/New_York")
CALENDAR = WorkingCalendar()
OFFICE_HOURS = WorkingCalendar(end_of_day=clock_time(17, 0))


def local(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


# A plain week in March 2026: no holidays between 1 and 20 March.
SUNDAY_1_MARCH_NOON = local(2026, 3, 1, 12)
MONDAY_2_MARCH = local(2026, 3, 2, 9)
WEDNESDAY_4_MARCH = local(2026, 3, 4, 10)
THURSDAY_5_MARCH_2359 = local(2026, 3, 5, 23, 59)
FRIDAY_6_MARCH = local(2026, 3, 6, 10)
WEDNESDAY_11_MARCH = local(2026, 3, 11, 10)

# Tết 2026: Monday 16 to Friday 20 February are off, with both weekends around.
THURSDAY_BEFORE_TET_2026 = local(2026, 2, 12, 10)
TET_DAY_2026 = local(2026, 2, 17, 9)
# Tết 2027 as the package computes it (no Government decision yet): Thursday 4 to
# Wednesday 10 February.
WEDNESDAY_BEFORE_TET_2027 = local(2027, 2, 3, 10)
# 12 August 2026 + 20 days = Tuesday 1 September, National Day (1–2 September).
WEDNESDAY_12_AUGUST_2026 = local(2026, 8, 12, 10)
# Saturday 22 August 2026 is worked in exchange for Monday 31 August off.
FRIDAY_21_AUGUST_2026 = local(2026, 8, 21, 10)
SWAPPED_SATURDAY_2026 = date(2026, 8, 22)
SWAPPED_SATURDAY_2025 = date(2025, 4, 26)


@contextmanager
def process_time_zone(name):
    previous = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = previous
        time.tzset()


def start(at):
    return ClockEvent("start", at)


def pause(at):
    return ClockEvent("pause", at)


def resume(at):
    return ClockEvent("resume", at)


def stop(at):
    return ClockEvent("stop", at)


# Calendar


def test_weekends_are_days_off_and_weekdays_are_working_days():
    assert CALENDAR.is_working_day(date(2026, 3, 6)) is True
    assert CALENDAR.is_working_day(date(2026, 3, 7)) is False
    assert CALENDAR.is_working_day(date(2026, 3, 8)) is False


def test_the_2026_calendar_matches_the_governments_days_off():
    # A snapshot of the package's data: an upgrade that changes a past or
    # announced day must fail here, not silently move deadlines.
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    weekdays_off = [
        d for d in days if d.weekday() < 5 and not CALENDAR.is_working_day(d)
    ]
    worked_weekend_days = [
        d for d in days if d.weekday() >= 5 and CALENDAR.is_working_day(d)
    ]
    assert weekdays_off == [
        date(2026, 1, 1),
        *(date(2026, 2, day) for day in range(16, 21)),
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
        date(2026, 11, 24),
    ]
    assert worked_weekend_days == [SWAPPED_SATURDAY_2026]


def test_swapped_saturdays_are_working_days_and_their_weekdays_are_off():
    assert CALENDAR.is_working_day(SWAPPED_SATURDAY_2026) is True
    assert CALENDAR.is_working_day(date(2026, 8, 31)) is False
    assert CALENDAR.is_working_day(SWAPPED_SATURDAY_2025) is True
    assert CALENDAR.is_working_day(date(2025, 5, 2)) is False


def test_a_swap_across_new_year_is_honoured():
    # Monday 31 December 2018 was off in exchange for Saturday 5 January 2019.
    assert CALENDAR.is_working_day(date(2018, 12, 31)) is False
    assert CALENDAR.is_working_day(date(2019, 1, 5)) is True


def test_admin_exceptions_win_over_the_package_both_ways():
    calendar = WorkingCalendar(
        extra_days_off=frozenset({date(2026, 3, 9)}),
        extra_working_days=frozenset({date(2027, 2, 6)}),
    )
    assert calendar.is_working_day(date(2026, 3, 9)) is False
    # A Tết Saturday the Government might swap in 2027, which the package cannot know.
    assert calendar.is_working_day(date(2027, 2, 6)) is True


def test_a_day_cannot_be_both_an_extra_day_off_and_an_extra_working_day():
    with pytest.raises(ValueError, match="both off and working"):
        WorkingCalendar(
            extra_days_off=frozenset({date(2026, 3, 9)}),
            extra_working_days=frozenset({date(2026, 3, 9)}),
        )


def test_end_of_day_must_be_a_naive_time_after_midnight():
    with pytest.raises(ValueError, match="end_of_day"):
        WorkingCalendar(end_of_day=clock_time(0, 0))
    with pytest.raises(ValueError, match="end_of_day"):
        WorkingCalendar(end_of_day=clock_time(17, 0, tzinfo=UTC))


def test_next_working_day_skips_the_weekend_and_tet():
    assert CALENDAR.next_working_day(date(2026, 3, 6)) == date(2026, 3, 9)
    assert CALENDAR.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_working_days_between_leaves_out_the_first_day():
    assert CALENDAR.working_days_between(date(2026, 3, 2), date(2026, 3, 9)) == 5
    assert CALENDAR.working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert CALENDAR.working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == 0
    # Tết 2026 and both weekends around it hold no working day.
    assert CALENDAR.working_days_between(date(2026, 2, 13), date(2026, 2, 22)) == 0


EXCEPTIONS = WorkingCalendar(
    extra_days_off={date(2025, 12, 31)}, extra_working_days={date(2026, 1, 3)}
)


@settings(max_examples=60, deadline=None)
@given(
    st.dates(date(2022, 1, 1), date(2028, 12, 31)),
    st.integers(-30, 2000),
    st.sampled_from([CALENDAR, EXCEPTIONS]),
)
def test_working_days_between_counts_every_day_across_years(start, span, calendar):
    # Counted from each year's running totals; the answer is still the days one by
    # one, across New Year, a leap year and the admin's exceptions.
    end = start + timedelta(days=span)
    one_by_one = sum(
        calendar.is_working_day(start + timedelta(days=n)) for n in range(1, span + 1)
    )
    assert calendar.working_days_between(start, end) == one_by_one


# Deadlines


def test_a_working_day_target_skips_the_weekend():
    deadline = due_at(FRIDAY_6_MARCH, 1, WORKING_DAYS, CALENDAR)
    # Due Monday 9 March at 24:00, stored as 00:00 Tuesday local = 17:00 UTC Monday.
    assert deadline == local(2026, 3, 10)
    assert deadline.tzinfo is UTC
    assert deadline == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
    assert due_on(deadline, CALENDAR) == date(2026, 3, 9)


def test_forwarding_within_5_working_days_skips_tet_2026():
    deadline = due_at(THURSDAY_BEFORE_TET_2026, 5, WORKING_DAYS, CALENDAR)
    # Friday 13, then Monday 23 to Thursday 26 February.
    assert due_on(deadline, CALENDAR) == date(2026, 2, 26)


def test_an_answer_within_20_days_counts_tet_2026_as_plain_days():
    deadline = due_at(THURSDAY_BEFORE_TET_2026, 20, DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == date(2026, 3, 4)


def test_plain_days_ending_inside_tet_2026_move_to_the_first_day_after_it():
    # 12 February + 5 days = Tuesday 17 February, Tết.
    deadline = due_at(THURSDAY_BEFORE_TET_2026, 5, DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == date(2026, 2, 23)


def test_working_days_skip_tet_2027():
    deadline = due_at(WEDNESDAY_BEFORE_TET_2027, 1, WORKING_DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == date(2027, 2, 11)


def test_plain_days_ending_inside_tet_2027_move_to_the_first_day_after_it():
    deadline = due_at(WEDNESDAY_BEFORE_TET_2027, 4, DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == date(2027, 2, 11)


def test_a_plain_day_period_ending_on_a_holiday_moves_to_the_next_working_day():
    deadline = due_at(WEDNESDAY_12_AUGUST_2026, 20, DAYS, CALENDAR)
    # Tuesday 1 and Wednesday 2 September are National Day.
    assert deadline == local(2026, 9, 4)
    assert due_on(deadline, CALENDAR) == date(2026, 9, 3)


def test_a_deadline_can_fall_on_the_swapped_saturday():
    deadline = due_at(FRIDAY_21_AUGUST_2026, 1, WORKING_DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == SWAPPED_SATURDAY_2026
    # Five working days: Saturday 22, then Monday 24 to Thursday 27 August.
    deadline = due_at(FRIDAY_21_AUGUST_2026, 5, WORKING_DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == date(2026, 8, 27)


def test_a_plain_day_period_ending_on_the_swapped_saturday_stays_there():
    deadline = due_at(local(2026, 8, 2, 10), 20, DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == SWAPPED_SATURDAY_2026


def test_an_admin_day_off_moves_a_deadline():
    calendar = WorkingCalendar(extra_days_off=frozenset({date(2026, 3, 9)}))
    deadline = due_at(FRIDAY_6_MARCH, 1, WORKING_DAYS, calendar)
    assert due_on(deadline, calendar) == date(2026, 3, 10)


def test_receipt_on_a_holiday_counts_from_the_next_day():
    deadline = due_at(TET_DAY_2026, 1, WORKING_DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == date(2026, 2, 23)
    deadline = due_at(TET_DAY_2026, 10, DAYS, CALENDAR)
    # 17 + 10 = Friday 27 February, a working day.
    assert due_on(deadline, CALENDAR) == date(2026, 2, 27)


def test_receipt_at_2359_local_is_still_that_day_and_not_counted():
    deadline = due_at(THURSDAY_5_MARCH_2359, 1, WORKING_DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == date(2026, 3, 6)
    # One minute later it is Friday, so the first day counted is Monday.
    deadline = due_at(local(2026, 3, 6, 0, 0), 1, WORKING_DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == date(2026, 3, 9)


def test_receipt_is_dated_in_vietnam_whatever_its_time_zone():
    # 18:00 UTC on Thursday is already 01:00 Friday in Hà Nội.
    received_at = datetime(2026, 3, 5, 18, 0, tzinfo=UTC)
    deadline = due_at(received_at, 1, WORKING_DAYS, CALENDAR)
    assert due_on(deadline, CALENDAR) == date(2026, 3, 9)


def test_end_of_day_at_1700_puts_the_deadline_at_1700_local():
    deadline = due_at(FRIDAY_6_MARCH, 1, WORKING_DAYS, OFFICE_HOURS)
    assert deadline == local(2026, 3, 9, 17)
    assert deadline == datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    assert due_on(deadline, OFFICE_HOURS) == date(2026, 3, 9)


def test_due_at_refuses_bad_targets_and_naive_times():
    with pytest.raises(ValueError, match="at least 1"):
        due_at(FRIDAY_6_MARCH, 0, WORKING_DAYS, CALENDAR)
    with pytest.raises(ValueError, match="unknown unit"):
        due_at(FRIDAY_6_MARCH, 5, "hours", CALENDAR)
    with pytest.raises(ValueError, match="aware"):
        due_at(datetime(2026, 3, 6, 10), 5, WORKING_DAYS, CALENDAR)


def _results_for_time_zone_check():
    late_evening = datetime(2026, 3, 5, 12, 30, tzinfo=NEW_YORK)
    return [
        due_at(THURSDAY_5_MARCH_2359, 1, WORKING_DAYS, CALENDAR),
        due_at(late_evening, 3, WORKING_DAYS, CALENDAR),
        due_at(THURSDAY_BEFORE_TET_2026, 20, DAYS, CALENDAR),
        due_at(FRIDAY_6_MARCH, 1, WORKING_DAYS, OFFICE_HOURS),
        due_on(local(2026, 3, 10), CALENDAR),
        lay_out_clock(
            [
                start(MONDAY_2_MARCH),
                pause(WEDNESDAY_4_MARCH),
                resume(WEDNESDAY_11_MARCH),
            ],
            5,
            WORKING_DAYS,
            CALENDAR,
        ),
        lay_out_clock([start(SUNDAY_1_MARCH_NOON)], 8, WORKING_DAYS, OFFICE_HOURS),
    ]


@pytest.mark.parametrize("zone", ["America/New_York", "Pacific/Kiritimati", "UTC"])
def test_results_do_not_depend_on_the_process_time_zone(zone):
    expected = _results_for_time_zone_check()
    with process_time_zone(zone):
        # Check that the switch took effect, or the test would prove nothing.
        offset = time.localtime(1_772_000_000).tm_gmtoff
        assert offset == ZoneInfo(zone).utcoffset(datetime(2026, 2, 25)).total_seconds()
        assert _results_for_time_zone_check() == expected


# Clocks


def test_a_clock_without_pauses_is_due_at_the_deadline_of_its_start():
    times = lay_out_clock([start(MONDAY_2_MARCH)], 5, WORKING_DAYS, CALENDAR)
    assert times.started_at == MONDAY_2_MARCH
    assert times.due_at == due_at(MONDAY_2_MARCH, 5, WORKING_DAYS, CALENDAR)
    assert times.original_due_at == times.due_at
    assert times.paused is False
    assert times.stopped_at is None
    assert times.remaining_days is None


def test_pause_and_resume_on_the_same_day_do_not_move_the_deadline():
    for unit in (WORKING_DAYS, DAYS):
        times = lay_out_clock(
            [
                start(MONDAY_2_MARCH),
                pause(WEDNESDAY_4_MARCH),
                resume(local(2026, 3, 4, 23, 59)),
            ],
            5,
            unit,
            CALENDAR,
        )
        assert times.due_at == due_at(MONDAY_2_MARCH, 5, unit, CALENDAR)


def test_a_paused_clock_has_no_deadline_and_keeps_the_days_left():
    times = lay_out_clock(
        [start(MONDAY_2_MARCH), pause(WEDNESDAY_4_MARCH)], 5, WORKING_DAYS, CALENDAR
    )
    assert times.paused is True
    assert times.due_at is None
    assert times.original_due_at is None
    assert times.warn_at is None
    assert times.last_day_warn_at is None
    # Due Monday 9 March; Wednesday itself is spent: Thursday, Friday, Monday remain.
    assert times.remaining_days == 3


def test_a_week_long_pause_extends_the_deadline_by_the_paused_working_days():
    times = lay_out_clock(
        [start(MONDAY_2_MARCH), pause(WEDNESDAY_4_MARCH), resume(WEDNESDAY_11_MARCH)],
        5,
        WORKING_DAYS,
        CALENDAR,
    )
    paused_days = CALENDAR.working_days_between(date(2026, 3, 4), date(2026, 3, 11))
    assert paused_days == 5
    # Monday 9 March plus five working days.
    assert due_on(times.due_at, CALENDAR) == date(2026, 3, 16)
    assert times.original_due_at == times.due_at


def test_a_plain_day_clock_pauses_in_plain_days():
    times = lay_out_clock(
        [start(MONDAY_2_MARCH), pause(WEDNESDAY_4_MARCH)], 20, DAYS, CALENDAR
    )
    # Due Sunday 22 March, moved to Monday 23: 19 days after Wednesday 4 March.
    assert times.remaining_days == 19
    times = lay_out_clock(
        [start(MONDAY_2_MARCH), pause(WEDNESDAY_4_MARCH), resume(WEDNESDAY_11_MARCH)],
        20,
        DAYS,
        CALENDAR,
    )
    assert due_on(times.due_at, CALENDAR) == date(2026, 3, 30)


def test_a_pause_on_the_due_day_leaves_the_end_of_the_resume_day():
    events = [start(FRIDAY_6_MARCH), pause(local(2026, 3, 9, 15))]
    assert lay_out_clock(events, 1, WORKING_DAYS, CALENDAR).remaining_days == 0
    times = lay_out_clock(
        [*events, resume(WEDNESDAY_11_MARCH)], 1, WORKING_DAYS, CALENDAR
    )
    assert due_on(times.due_at, CALENDAR) == date(2026, 3, 11)
    # Resumed on a Saturday: the next working day's end.
    times = lay_out_clock(
        [*events, resume(local(2026, 3, 14, 10))], 1, WORKING_DAYS, CALENDAR
    )
    assert due_on(times.due_at, CALENDAR) == date(2026, 3, 16)


def test_pause_cycles_compose():
    times = lay_out_clock(
        [
            start(MONDAY_2_MARCH),
            pause(WEDNESDAY_4_MARCH),
            resume(WEDNESDAY_11_MARCH),
            pause(local(2026, 3, 12, 9)),
            resume(local(2026, 3, 13, 9)),
        ],
        5,
        WORKING_DAYS,
        CALENDAR,
    )
    # After the first cycle: due Monday 16. The second pause spends Thursday 12 and
    # leaves Friday 13 and Monday 16; laid out from Friday 13 that is Tuesday 17.
    assert due_on(times.due_at, CALENDAR) == date(2026, 3, 17)


def test_a_pause_into_tet_pushes_the_deadline_past_it():
    times = lay_out_clock(
        [
            start(local(2026, 2, 10, 9)),
            pause(local(2026, 2, 12, 9)),
            resume(TET_DAY_2026),
        ],
        5,
        WORKING_DAYS,
        CALENDAR,
    )
    # Due Tuesday 24 February by the start (11, 12, 13, 23, 24). The pause spends
    # Thursday 12 and keeps 13, 23 and 24; laid out from the resume on Tết they
    # become 23, 24 and 25, so only Friday 13, the one working day paused, is added.
    assert due_on(times.due_at, CALENDAR) == date(2026, 2, 25)


def test_an_extension_moves_the_deadline_and_keeps_the_original():
    times = lay_out_clock(
        [start(MONDAY_2_MARCH), ClockEvent("extend", WEDNESDAY_4_MARCH, days=5)],
        5,
        WORKING_DAYS,
        CALENDAR,
    )
    assert due_on(times.due_at, CALENDAR) == date(2026, 3, 16)
    assert due_on(times.original_due_at, CALENDAR) == date(2026, 3, 9)


def test_an_extension_during_a_pause_adds_to_the_days_left():
    events = [
        start(MONDAY_2_MARCH),
        pause(WEDNESDAY_4_MARCH),
        ClockEvent("extend", local(2026, 3, 5, 9), days=2),
    ]
    assert lay_out_clock(events, 5, WORKING_DAYS, CALENDAR).remaining_days == 5
    times = lay_out_clock(
        [*events, resume(WEDNESDAY_11_MARCH)], 5, WORKING_DAYS, CALENDAR
    )
    assert due_on(times.due_at, CALENDAR) == date(2026, 3, 18)
    assert due_on(times.original_due_at, CALENDAR) == date(2026, 3, 16)


def test_an_extension_needs_at_least_one_day():
    with pytest.raises(ValueError, match="extension"):
        lay_out_clock(
            [start(MONDAY_2_MARCH), ClockEvent("extend", WEDNESDAY_4_MARCH)],
            5,
            WORKING_DAYS,
            CALENDAR,
        )


def test_a_pause_after_the_deadline_keeps_the_breach_visible():
    deadline = due_at(FRIDAY_6_MARCH, 1, WORKING_DAYS, CALENDAR)
    events = [start(FRIDAY_6_MARCH), pause(WEDNESDAY_11_MARCH)]
    times = lay_out_clock(events, 1, WORKING_DAYS, CALENDAR)
    # Pausing cannot suspend a deadline that has already passed.
    assert times.paused is True
    assert times.due_at == deadline
    assert times.remaining_days == 0
    assert sla_status(times, WEDNESDAY_11_MARCH) == OVERDUE
    times = lay_out_clock(
        [*events, resume(local(2026, 3, 20, 9))], 1, WORKING_DAYS, CALENDAR
    )
    assert times.due_at == deadline
    assert times.warn_at is None


def test_a_stop_keeps_the_deadline_it_had():
    stopped_at = local(2026, 3, 5, 15)
    times = lay_out_clock(
        [start(MONDAY_2_MARCH), stop(stopped_at)], 5, WORKING_DAYS, CALENDAR
    )
    assert times.stopped_at == stopped_at
    assert times.due_at == due_at(MONDAY_2_MARCH, 5, WORKING_DAYS, CALENDAR)
    assert times.warn_at is None
    assert times.last_day_warn_at is None


def test_events_may_arrive_unsorted():
    events = [
        resume(WEDNESDAY_11_MARCH),
        start(MONDAY_2_MARCH),
        pause(WEDNESDAY_4_MARCH),
    ]
    times = lay_out_clock(events, 5, WORKING_DAYS, CALENDAR)
    assert due_on(times.due_at, CALENDAR) == date(2026, 3, 16)


def test_a_clock_needs_a_start_before_anything_else():
    with pytest.raises(ValueError, match="start event"):
        lay_out_clock([], 5, WORKING_DAYS, CALENDAR)
    with pytest.raises(ValueError, match="start event"):
        lay_out_clock(
            [pause(MONDAY_2_MARCH), start(WEDNESDAY_4_MARCH)], 5, WORKING_DAYS, CALENDAR
        )


def test_a_clock_refuses_impossible_event_sequences():
    with pytest.raises(ValueError, match="already paused"):
        lay_out_clock(
            [start(MONDAY_2_MARCH), pause(WEDNESDAY_4_MARCH), pause(FRIDAY_6_MARCH)],
            5,
            WORKING_DAYS,
            CALENDAR,
        )
    with pytest.raises(ValueError, match="not paused"):
        lay_out_clock(
            [start(MONDAY_2_MARCH), resume(WEDNESDAY_4_MARCH)],
            5,
            WORKING_DAYS,
            CALENDAR,
        )
    with pytest.raises(ValueError, match="after the clock stopped"):
        lay_out_clock(
            [start(MONDAY_2_MARCH), stop(WEDNESDAY_4_MARCH), pause(FRIDAY_6_MARCH)],
            5,
            WORKING_DAYS,
            CALENDAR,
        )
    with pytest.raises(ValueError, match="one start"):
        lay_out_clock(
            [start(MONDAY_2_MARCH), start(WEDNESDAY_4_MARCH)], 5, WORKING_DAYS, CALENDAR
        )
    with pytest.raises(ValueError, match="unknown clock event"):
        lay_out_clock(
            [start(MONDAY_2_MARCH), ClockEvent("snooze", WEDNESDAY_4_MARCH)],
            5,
            WORKING_DAYS,
            CALENDAR,
        )


# Warnings and status


def test_a_long_target_warns_at_75_percent_and_on_the_due_day():
    times = lay_out_clock([start(SUNDAY_1_MARCH_NOON)], 8, WORKING_DAYS, CALENDAR)
    # Due Wednesday 11 March: 8 whole working days, 6 of which are 75 %.
    assert due_on(times.due_at, CALENDAR) == date(2026, 3, 11)
    assert times.warn_at == local(2026, 3, 10)
    assert times.last_day_warn_at == local(2026, 3, 11)


def test_a_one_working_day_target_gets_only_the_75_percent_warning():
    times = lay_out_clock([start(FRIDAY_6_MARCH)], 1, WORKING_DAYS, CALENDAR)
    # 14 hours on Friday and 24 on Monday: 75 % of 38 hours is reached at 14:30 on
    # Monday, after the due day has begun, so a second warning would say nothing new.
    assert times.warn_at == local(2026, 3, 9, 14, 30)
    assert times.last_day_warn_at is None


def test_paused_time_does_not_count_towards_the_75_percent_warning():
    times = lay_out_clock(
        [
            start(SUNDAY_1_MARCH_NOON),
            pause(local(2026, 3, 2, 12)),
            resume(local(2026, 3, 2, 18)),
        ],
        8,
        WORKING_DAYS,
        CALENDAR,
    )
    # The deadline holds, but the 6 paused hours leave 186 working hours; 75 % of
    # them (139.5 hours) is reached 1.5 hours later than without the pause.
    assert due_on(times.due_at, CALENDAR) == date(2026, 3, 11)
    assert times.warn_at == local(2026, 3, 10, 1, 30)


def test_sla_status_follows_the_clock():
    times = lay_out_clock([start(SUNDAY_1_MARCH_NOON)], 8, WORKING_DAYS, CALENDAR)
    assert sla_status(times, local(2026, 3, 5)) == ON_TRACK
    assert sla_status(times, times.warn_at) == AT_RISK
    assert sla_status(times, times.last_day_warn_at) == AT_RISK
    # The due moment itself is still on time; a microsecond later it is not.
    assert sla_status(times, times.due_at) == AT_RISK
    assert sla_status(times, times.due_at + timedelta(microseconds=1)) == OVERDUE


def test_sla_status_of_paused_and_stopped_clocks():
    events = [start(SUNDAY_1_MARCH_NOON), pause(WEDNESDAY_4_MARCH)]
    paused = lay_out_clock(events, 8, WORKING_DAYS, CALENDAR)
    assert sla_status(paused, local(2026, 4, 1)) == PAUSED
    # A clock stopped while paused before its deadline (no reply from the
    # submitter) was not late.
    expired = lay_out_clock(
        [*events, stop(local(2026, 4, 1))], 8, WORKING_DAYS, CALENDAR
    )
    assert sla_status(expired, local(2026, 4, 2)) == MET
    answered = lay_out_clock(
        [start(SUNDAY_1_MARCH_NOON), stop(local(2026, 3, 11, 23, 59))],
        8,
        WORKING_DAYS,
        CALENDAR,
    )
    assert sla_status(answered, local(2026, 4, 2)) == MET
    late = lay_out_clock(
        [start(SUNDAY_1_MARCH_NOON), stop(local(2026, 3, 12, 0, 1))],
        8,
        WORKING_DAYS,
        CALENDAR,
    )
    assert sla_status(late, local(2026, 4, 2)) == OVERDUE


# Properties

starts = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2028, 12, 31, 23, 59),
    timezones=st.sampled_from([UTC, VIETNAM, NEW_YORK]),
)
amounts = st.integers(min_value=1, max_value=60)
units = st.sampled_from([WORKING_DAYS, DAYS])


@settings(max_examples=200, deadline=None)
@given(starts, amounts, units)
def test_every_deadline_ends_a_working_day(received_at, amount, unit):
    deadline = due_at(received_at, amount, unit, CALENDAR)
    assert CALENDAR.is_working_day(due_on(deadline, CALENDAR)) is True
    assert due_on(deadline, CALENDAR) > received_at.astimezone(VIETNAM).date()


@settings(max_examples=200, deadline=None)
@given(starts, amounts, units)
def test_a_longer_target_never_ends_sooner(received_at, amount, unit):
    shorter = due_at(received_at, amount, unit, CALENDAR)
    longer = due_at(received_at, amount + 1, unit, CALENDAR)
    if unit == WORKING_DAYS:
        assert longer > shorter
    else:
        assert longer >= shorter


@settings(max_examples=200, deadline=None)
@given(
    starts,
    amounts,
    units,
    st.integers(min_value=0, max_value=90 * 86_400),
    st.integers(min_value=0, max_value=86_399),
)
def test_a_same_day_pause_never_moves_the_deadline(
    received_at, amount, unit, pause_after, resume_after
):
    deadline = due_at(received_at, amount, unit, CALENDAR)
    paused_at = received_at + timedelta(seconds=pause_after)
    resumed_at = paused_at + timedelta(seconds=resume_after)
    assume(paused_at < deadline)
    assume(
        resumed_at.astimezone(VIETNAM).date() == paused_at.astimezone(VIETNAM).date()
    )
    times = lay_out_clock(
        [start(received_at), pause(paused_at), resume(resumed_at)],
        amount,
        unit,
        CALENDAR,
    )
    assert times.due_at == deadline


@settings(max_examples=200, deadline=None)
@given(
    starts,
    amounts,
    units,
    st.integers(min_value=0, max_value=30 * 86_400),
    st.integers(min_value=0, max_value=30 * 86_400),
)
def test_a_pause_never_shortens_the_time_and_warnings_stay_in_order(
    received_at, amount, unit, pause_after, pause_length
):
    deadline = due_at(received_at, amount, unit, CALENDAR)
    paused_at = received_at + timedelta(seconds=pause_after)
    assume(paused_at < deadline)
    resumed_at = paused_at + timedelta(seconds=pause_length)
    times = lay_out_clock(
        [start(received_at), pause(paused_at), resume(resumed_at)],
        amount,
        unit,
        CALENDAR,
    )
    assert times.due_at >= deadline
    assert CALENDAR.is_working_day(due_on(times.due_at, CALENDAR)) is True
    if times.warn_at is not None:
        assert times.started_at <= times.warn_at < times.due_at
    if times.last_day_warn_at is not None:
        assert times.warn_at < times.last_day_warn_at < times.due_at


# --- deadlines as people read them ---


def test_a_deadline_at_midnight_reads_as_the_day_before_one_at_five_keeps_its_hour():
    # 24:00 on Wednesday 16 December is stored as 00:00 on the 17th.
    assert deadline_as_read(local(2026, 12, 17)) == Deadline(date(2026, 12, 16))
    assert deadline_as_read(local(2026, 12, 16, 17)) == Deadline(
        date(2026, 12, 16), "17:00"
    )
    # Read in Vietnam whatever zone the moment comes in.
    assert deadline_as_read(local(2026, 12, 17).astimezone(NEW_YORK)).last_day == (
        date(2026, 12, 16)
    )


def test_working_days_left_skip_the_weekend_and_count_overdue_days_after_the_due_day():
    # Due at the end of Friday 11 December 2026.
    deadline = local(2026, 12, 12)
    # On Tuesday: Wednesday, Thursday and Friday are left.
    assert working_days_left(deadline, local(2026, 12, 8, 9), CALENDAR) == DaysLeft(
        3, False
    )
    # On Friday itself: nothing after today, the deadline ends tonight.
    assert working_days_left(deadline, local(2026, 12, 11, 9), CALENDAR) == DaysLeft(
        0, False
    )
    # Over the weekend it is overdue by no working day yet; by Tuesday by two.
    assert working_days_left(deadline, local(2026, 12, 13, 9), CALENDAR) == DaysLeft(
        0, True
    )
    assert working_days_left(deadline, local(2026, 12, 15, 9), CALENDAR) == DaysLeft(
        2, True
    )


def test_a_calendar_ending_at_five_is_overdue_on_the_due_day_after_five():
    deadline = local(2026, 12, 11, 17)
    assert working_days_left(deadline, local(2026, 12, 11, 16), OFFICE_HOURS) == (
        DaysLeft(0, False)
    )
    assert working_days_left(deadline, local(2026, 12, 11, 18), OFFICE_HOURS) == (
        DaysLeft(0, True)
    )
