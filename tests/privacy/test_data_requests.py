"""Data-subject requests: filed by the citizen, handled by the data officer on two
clocks (first reply in 2 working days; completion within the kind's period)."""

import json
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from notifications.models import Notification
from tests import factories
from workflow import services
from workflow.audit import verify_history
from workflow.errors import InvalidInput, NotPermitted
from workflow.models import HistoryEntry, Petition, Role
from workflow.privacy import requests, sweeps
from workflow.privacy.models import DataRequest, PendingErasure, RequestDeadline
from workflow.privacy.reads import What, record_read
from workflow.privacy.retention import apply_retention

# Friday 10:00 in Hà Nội: the day of receipt is not counted, the weekend is off.
FRIDAY = datetime(2026, 3, 6, 3, 0, tzinfo=UTC)
# End of Tuesday 10 March (local midnight), two working days later.
FIRST_REPLY_DUE = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def proved(file_with_secret, verified):
    """A citizen's petition whose code and secret this session proved."""
    petition, secret = file_with_secret()
    return verified(petition, secret)


def file(client, petition, **data):
    return client.post(f"/track/{petition.tracking_code}/data/", data)


def test_a_request_gets_its_deadlines_from_the_calendar_and_the_data(client, proved):
    with at(FRIDAY):
        response = file(client, proved, kind="see")
    assert response.status_code == 302
    item = DataRequest.objects.get()
    assert item.first_reply_due_at == FIRST_REPLY_DUE
    # "see": 10 days from Friday 6 March ends on Monday 16 March.
    assert item.due_at == datetime(2026, 3, 16, 17, 0, tzinfo=UTC)
    assert list(item.petitions.all()) == [proved]
    # The period is a row: the admin changes it, the next request follows.
    RequestDeadline.objects.filter(kind="see").update(completion_amount=15)
    with at(FRIDAY):
        file(client, proved, kind="erase")
    erase = DataRequest.objects.get(kind="erase")
    assert erase.due_at == datetime(2026, 3, 26, 17, 0, tzinfo=UTC)


def test_a_second_request_of_the_same_kind_while_open_is_the_first_one(client, proved):
    file(client, proved, kind="see")
    file(client, proved, kind="see")
    assert DataRequest.objects.count() == 1


def test_a_request_that_asks_something_else_is_not_lost_in_the_first(client, proved):
    file(client, proved, kind="correct", corrected_name="Nguyễn Văn Ân")
    file(client, proved, kind="correct", corrected_name="Nguyễn Văn Ân")
    second = file(
        client,
        proved,
        kind="correct",
        corrected_email="moi@example.vn",
        details="E-mail mới của tôi",
    )

    assert second.status_code == 302
    asked = DataRequest.objects.filter(kind="correct").order_by("pk")
    assert [r.corrections for r in asked] == [
        {"submitter_name": "Nguyễn Văn Ân"},
        {"email": "moi@example.vn"},
    ]
    assert asked[1].details == "E-mail mới của tôi"


def test_a_correction_must_say_what_to_correct(client, proved):
    response = file(client, proved, kind="correct")
    assert response.status_code == 400
    assert "details" in response.context["form"].errors
    response = file(client, proved, kind="correct", corrected_phone="12")
    assert response.status_code == 400
    assert "corrected_phone" in response.context["form"].errors
    assert not DataRequest.objects.exists()


def test_a_corrected_name_is_stored_composed_and_measured_so(client, proved):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Ân")
    file(client, proved, kind="correct", corrected_name=decomposed)
    # 200 characters as sent, 400 composed: over the name's limit as stored.
    too_long = file(client, proved, kind="correct", corrected_name="\u0344" * 200)

    assert DataRequest.objects.get().corrections == {"submitter_name": "Nguyễn Văn Ân"}
    assert too_long.status_code == 400
    assert too_long.context["form"].errors["corrected_name"] == ["Tối đa 200 ký tự."]


def test_a_name_of_invisible_characters_asks_what_to_correct(client, proved):
    response = file(client, proved, kind="correct", corrected_name="\u200b")

    assert response.status_code == 400
    assert response.context["form"].errors["details"] == [
        "Vui lòng cho biết thông tin cần sửa: họ tên, thư điện tử, số điện thoại "
        "mới, hoặc mô tả trong nội dung yêu cầu."
    ]
    assert not DataRequest.objects.exists()


def test_requests_of_another_petition_are_not_found(client, proved, file_with_secret):
    other, _secret = file_with_secret()
    item = requests.file_request(kind="see", petitions=[other])
    url = f"/track/{proved.tracking_code}/data/{item.code}/"
    assert client.get(url).status_code == 404
    assert client.get(f"/track/{other.tracking_code}/data/").status_code == 404


def test_the_officers_queue_shows_the_most_urgent_first_with_its_badge(
    client, dpo, submit, staff_client
):
    with at(FRIDAY):
        late = requests.file_request(kind="erase", petitions=[submit()])
    with at(FRIDAY + timedelta(days=1)):
        soon = requests.file_request(kind="see", petitions=[submit()])
    staff_client(dpo)
    with at(FIRST_REPLY_DUE + timedelta(hours=1)):
        page = client.get("/work/privacy/").content.decode()
    assert page.index(late.code) < page.index(soon.code)
    assert 'class="badge overdue"' in page


def test_only_data_officers_open_the_queue_and_the_requests(
    client, submit, handler_a, auditor, supervisor_a, staff_client
):
    item = requests.file_request(kind="see", petitions=[submit()])
    for actor in (handler_a, auditor, supervisor_a):
        staff_client(actor)
        assert client.get("/work/privacy/").status_code == 404
        assert client.get(f"/work/privacy/{item.code}/").status_code == 404
    with pytest.raises(NotPermitted):
        requests.reply_to_request(request_id=item.pk, actor=auditor, text="x")


def test_the_sweep_warns_the_officers_then_records_the_breach_once(dpo, submit):
    with at(FRIDAY):
        item = requests.file_request(kind="see", petitions=[submit()])
    assert item.first_reply_warn_at < FIRST_REPLY_DUE
    assert sweeps.check_requests(now=item.first_reply_warn_at) == 1
    assert sweeps.check_requests(now=item.first_reply_warn_at) == 0
    late = FIRST_REPLY_DUE + timedelta(hours=3)
    assert sweeps.check_requests(now=late) == 1
    item.refresh_from_db()
    # The breach is the moment the deadline passed; it stays.
    assert item.breached_at == FIRST_REPLY_DUE
    alerts = Notification.objects.filter(event="data_request_alert")
    assert sorted(a.context["alert"] for a in alerts) == [
        "first_reply_breach",
        "first_reply_warning",
    ]
    assert {a.recipient_address for a in alerts} == {dpo.user.email}
    assert requests.request_status(item, late) == "overdue"


def test_the_first_reply_stops_its_clock_and_tells_the_citizen(dpo, submit):
    petition = submit(email="an@example.vn")
    with at(FRIDAY):
        item = requests.file_request(kind="see", petitions=[petition])
    with at(FRIDAY + timedelta(hours=2)):
        requests.reply_to_request(
            request_id=item.pk, actor=dpo, text="Đã nhận, trả lời trong 10 ngày."
        )
    item.refresh_from_db()
    assert item.state == "acknowledged"
    # Only the completion's alerts remain.
    assert [kind for kind, _at in requests.pending_alerts(item)] == [
        "warning",
        "breach",
    ]
    assert sweeps.check_requests(now=FIRST_REPLY_DUE + timedelta(hours=1)) == 0
    [message] = Notification.objects.filter(event="data_request_replied")
    assert message.recipient_address == "an@example.vn"
    assert message.context["request_code"] == item.code


def test_a_see_request_releases_the_export_with_who_looked(
    client, proved, dpo, handler_a
):
    record_read(user=handler_a.user, petition=proved, what=What.CASE)
    file(client, proved, kind="see")
    item = DataRequest.objects.get()
    base = f"/track/{proved.tracking_code}/data/{item.code}/"
    # Nothing to download before the officer releases it.
    assert client.get(base + "export.json").status_code == 404
    requests.complete_request(request_id=item.pk, actor=dpo, outcome="Dữ liệu đây.")
    page = client.get(base).content.decode()
    assert "export.json" in page and "export.html" in page
    response = client.get(base + "export.json")
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    [mine] = data["petitions"]
    assert mine["submitter"]["email"] == proved.email
    assert mine["tracking_code"] == proved.tracking_code
    assert [c["purpose"] for c in data["consents"]] == ["processing"]
    assert [r["by"] for r in data["staff_reads"]] == [
        handler_a.user.get_full_name() or handler_a.user.username
    ]
    assert data["data_requests"][0]["code"] == item.code
    # Everything held about them: the place and point they gave, their ratings.
    assert {"place", "latitude", "longitude"} <= set(mine)
    assert "postal_address" in mine["submitter"]
    assert data["ratings"] == []
    html = client.get(base + "export.html").content.decode()
    assert proved.email in html


def test_a_correction_replaces_the_contact_and_says_so_in_the_history(
    client, proved, dpo
):
    file(client, proved, kind="correct", corrected_phone="0987 654 321")
    item = DataRequest.objects.get()
    requests.complete_request(request_id=item.pk, actor=dpo, outcome="Đã sửa.")
    petition = Petition.objects.get(pk=proved.pk)
    assert petition.phone == "0987654321"
    entry = HistoryEntry.objects.filter(petition=petition).last()
    # The history names the field, never the value.
    assert (entry.action, entry.data) == ("correct_contact", {"fields": ["phone"]})
    assert list(verify_history([petition.pk])) == []


def test_a_correction_reaches_the_outbox_the_public_texts_and_the_outcome(
    client, proved, dpo
):
    from feedback.queries import mask_for_public
    from notifications.models import Notification

    old_name, old_email = proved.submitter_name, proved.email
    waiting = Notification.objects.filter(
        petition_id=proved.pk, channel="email", recipient_address=old_email
    )
    waiting.update(status=Notification.Status.PENDING, sent_at=None)
    waiting_ids = list(waiting.values_list("pk", flat=True))
    assert waiting_ids
    file(
        client,
        proved,
        kind="correct",
        corrected_name="Trần Thị Bích",
        corrected_email="moi@example.vn",
    )
    item = DataRequest.objects.get()

    # The request names fields: completing it without any is refused.
    with pytest.raises(InvalidInput, match="confirm"):
        requests.complete_request(
            request_id=item.pk, actor=dpo, outcome="Đã sửa.", corrections={}
        )
    requests.complete_request(request_id=item.pk, actor=dpo, outcome="Đã sửa.")

    petition = Petition.objects.get(pk=proved.pk)
    # The name as it was stays hidden where the submitter wrote it.
    assert "***" in mask_for_public(petition, f"Tôi là {old_name}.")
    # Messages not yet sent go to the corrected address; so does the outcome.
    assert set(
        Notification.objects.filter(pk__in=waiting_ids).values_list(
            "recipient_address", flat=True
        )
    ) == {"moi@example.vn"}
    told = Notification.objects.filter(event="data_request_replied").last()
    assert told.recipient_address == "moi@example.vn"
    entry = HistoryEntry.objects.filter(petition=petition).last()
    assert entry.data == {"fields": ["email", "submitter_name"]}
    assert list(verify_history([petition.pk])) == []


def test_erasure_of_an_ended_petition_anonymises_it_at_once(
    client, proved, dpo, citizen
):
    services.withdraw_petition(petition_id=proved.pk, actor=citizen)
    file(client, proved, kind="erase")
    item = DataRequest.objects.get()
    requests.complete_request(request_id=item.pk, actor=dpo, outcome="Đã xóa.")
    petition = Petition.objects.get(pk=proved.pk)
    assert petition.anonymised_at is not None
    assert petition.email == ""
    erasure = HistoryEntry.objects.filter(petition=petition).last()
    assert erasure.data["request"] == item.code
    assert list(verify_history([petition.pk])) == []
    # The outcome goes to the address the citizen gave, then the row forgets it,
    # as the erasure did every other message of the petition.
    from django.core import mail
    from django.utils import timezone

    from notifications.models import Notification
    from notifications.services import deliver

    told = Notification.objects.get(event="data_request_replied")
    assert told.recipient_address == proved.email
    deliver(notification_id=told.pk, now=timezone.now())
    assert mail.outbox[-1].to == [proved.email]
    assert "Đã xóa." in mail.outbox[-1].body
    told.refresh_from_db()
    assert (told.status, told.recipient_address) == ("sent", "")
    assert "Đã xóa." not in str(told.context)


def test_erasure_of_an_ended_published_petition_takes_it_off_the_public_pages(
    answered, verified, client, dpo, citizen, publish
):
    from django.utils import timezone

    from workflow.models.followers import Follower
    from workflow.privacy.retention import ANONYMISED_TEXT

    petition, secret = answered(publish_consent=True)
    publish(petition)
    services.close_petition(petition_id=petition.pk, actor=citizen)
    Follower.objects.create(
        petition=petition, email="theodoi@example.vn", followed_at=timezone.now()
    )
    assert client.get(f"/answers/{petition.tracking_code}/").status_code == 200
    verified(petition, secret)
    file(client, petition, kind="erase")
    item = DataRequest.objects.get()

    requests.complete_request(request_id=item.pk, actor=dpo, outcome="Đã xóa.")

    petition.refresh_from_db()
    assert petition.anonymised_at is not None and not petition.publish_consent
    assert petition.content == ANONYMISED_TEXT
    assert client.get(f"/answers/{petition.tracking_code}/").status_code == 404
    assert petition.tracking_code not in client.get("/answers/").content.decode()
    assert not Follower.objects.filter(petition=petition).exists()
    assert list(verify_history([petition.pk])) == []


def test_erasure_of_a_petition_being_handled_waits_for_its_end(
    answered, verified, client, dpo, citizen
):
    petition, secret = answered(publish_consent=True)
    verified(petition, secret)
    file(client, petition, kind="erase")
    item = DataRequest.objects.get()
    requests.complete_request(
        request_id=item.pk,
        actor=dpo,
        outcome="Dữ liệu cần để trả lời được giữ đến khi phản ánh kết thúc.",
    )
    petition.refresh_from_db()
    # The answer can still be disputed: the data stays, publication ends now.
    assert petition.anonymised_at is None
    assert petition.publish_consent is False
    assert PendingErasure.objects.filter(petition=petition).exists()
    services.close_petition(petition_id=petition.pk, actor=citizen)
    assert apply_retention(now=petition.answered_at + timedelta(days=1)) == 1
    petition.refresh_from_db()
    assert petition.anonymised_at is not None
    assert not PendingErasure.objects.exists()


def test_a_refusal_is_a_reply_with_its_reason(client, proved, dpo):
    file(client, proved, kind="erase")
    item = DataRequest.objects.get()
    requests.refuse_request(request_id=item.pk, actor=dpo, reason="Không có căn cứ.")
    item.refresh_from_db()
    assert (item.state, item.first_reply) == ("refused", "Không có căn cứ.")
    assert (
        "Không có căn cứ."
        in client.get(
            f"/track/{proved.tracking_code}/data/{item.code}/"
        ).content.decode()
    )


def test_the_officer_handles_a_request_through_the_pages(
    client, dpo, submit, staff_client
):
    petition = submit()
    item = requests.file_request(kind="see", petitions=[petition])
    staff_client(dpo)
    page = client.get(f"/work/privacy/{item.code}/")
    assert page.status_code == 200
    # Reading the subject's data to answer is a logged read.
    assert petition.personal_data_reads.filter(what="export").count() == 1
    refused = client.post(f"/work/privacy/{item.code}/reply/", {"text": ""})
    assert refused.status_code == 400
    done = client.post(f"/work/privacy/{item.code}/reply/", {"text": "Đã nhận."})
    assert done.status_code == 302
    client.post(f"/work/privacy/{item.code}/complete/", {"outcome": "Xong."})
    item.refresh_from_db()
    assert item.state == "done"
    # A closed request offers no more actions.
    again = client.post(f"/work/privacy/{item.code}/refuse/", {"reason": "x"})
    assert again.status_code == 400
    item.refresh_from_db()
    assert item.state == "done"


def test_the_dpo_role_opens_no_petition(client, dpo, submit, routed_to_a, staff_client):
    petition = submit()
    staff_client(dpo)
    assert client.get(f"/work/petitions/{petition.tracking_code}/").status_code == 404
    assert client.get("/work/").url == "/work/privacy/"


def test_a_new_role_needs_a_membership_without_an_agency(db):
    user = factories.staff("dpo2", Role.DPO)
    assert user.memberships.get().agency is None


def test_the_officers_pages_read_deadlines_steps_and_states_as_the_citizen_does(
    client, dpo, submit, staff_client
):
    # Issue 14's one way of writing a deadline, and no stored English words.
    with at(FRIDAY):
        petition = submit()
        item = requests.file_request(kind="see", petitions=[petition])
    staff_client(dpo)
    queue = client.get("/work/privacy/").content.decode()
    page = client.get(f"/work/privacy/{item.code}/").content.decode()
    for shown in (queue, page):
        assert "hết ngày 10/03/2026" in shown  # not "11/03/2026 00:00"
        assert "hết ngày 16/03/2026" in shown
        assert "11/03/2026 00:00" not in shown
    history = page[page.index("Diễn biến") :]
    assert "<td>Đã tiếp nhận</td><td>Người gửi</td>" in history
    assert "received" not in history and "submitter" not in history
    assert f"<dd>{petition.state}</dd>" not in page
    assert f"<dd>{petition.get_state_display()}</dd>" in page


def test_a_refusal_on_the_officers_page_names_the_character(
    client, dpo, submit, staff_client
):
    item = requests.file_request(kind="see", petitions=[submit()])
    staff_client(dpo)

    page = client.post(f"/work/privacy/{item.code}/reply/", {"text": "Đã \u202e nhận"})

    assert page.status_code == 400
    assert "Nội dung có ký tự không được phép (U+202E)" in page.content.decode()
