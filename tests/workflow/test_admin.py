"""The Django admin: reference data editable, petitions and their history read-only."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse


@pytest.fixture
def admin_client(staff_client, db):
    user = get_user_model().objects.create_superuser("root", "root@x.vn", "pw")
    return staff_client(user)


@pytest.mark.parametrize(
    "model",
    [
        "agency",
        "category",
        "routingrule",
        "membership",
        "calendar",
        "answertemplate",
        "petition",
        "historyentry",
        "clock",
        "slaalert",
        "extension",
    ],
)
def test_admin_lists_open(admin_client, model):
    response = admin_client.get(reverse(f"admin:workflow_{model}_changelist"))
    assert response.status_code == 200


def test_history_cannot_be_added_or_changed_in_admin(admin_client, submit):
    petition = submit()
    entry = petition.history.first()
    assert (
        admin_client.get(reverse("admin:workflow_historyentry_add")).status_code == 403
    )
    response = admin_client.post(
        reverse("admin:workflow_historyentry_change", args=[entry.pk]), {"reason": "x"}
    )
    assert response.status_code == 403


def test_adding_a_day_off_in_admin_is_saved(admin_client):
    from workflow.models import Calendar, CalendarException

    calendar = Calendar.objects.get()
    response = admin_client.post(
        reverse("admin:workflow_calendar_change", args=[calendar.pk]),
        {
            "name": calendar.name,
            "end_of_day": "",
            "exceptions-TOTAL_FORMS": "1",
            "exceptions-INITIAL_FORMS": "0",
            "exceptions-0-day": "2027-02-15",
            "exceptions-0-is_working_day": "",
            "exceptions-0-note": "Tết kéo dài",
        },
    )
    assert response.status_code == 302
    assert CalendarException.objects.get().note == "Tết kéo dài"


def test_a_day_ending_at_midnight_is_refused_with_a_message(admin_client):
    # "00:00" stopped every deadline of the calendar: intake and the queue
    # answered 500 until someone changed it back.
    from workflow.models import Calendar

    calendar = Calendar.objects.get()
    response = admin_client.post(
        reverse("admin:workflow_calendar_change", args=[calendar.pk]),
        {
            "name": calendar.name,
            "end_of_day": "00:00",
            "exceptions-TOTAL_FORMS": "0",
            "exceptions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "phải sau 00:00" in response.content.decode()
    calendar.refresh_from_db()
    assert calendar.end_of_day is None


def test_a_target_of_zero_days_is_refused_in_words_not_by_constraint_name(land):
    from django.core.exceptions import ValidationError

    from workflow.models import SlaTarget

    target = SlaTarget(category=land, clock="answer", amount=0, unit="working_days")
    with pytest.raises(ValidationError) as refused:
        target.full_clean()

    assert "từ 1 trở lên" in str(refused.value)
    assert "target_is_positive" not in str(refused.value)
