"""'Quên mã bí mật': a one-time code to the contact on file issues a new secret."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from feedback.access import SESSION_KEY
from notifications.models import Notification
from notifications.sealing import open_context
from tests.support.rows import row_counts
from workflow.models import Action, HistoryEntry, Petition


def _sent_code(petition):
    row = Notification.objects.filter(
        petition_id=petition.pk, event="recovery_code"
    ).latest("pk")
    return row


def code_of(row):
    return open_context(row.context)["secret"]


def test_a_code_sent_by_email_issues_a_new_secret_and_kills_the_old(
    client, file_with_secret
):
    petition, old_secret = file_with_secret()
    asked = client.post("/track/forgot/", {"tracking_code": petition.tracking_code})
    assert asked.status_code == 200
    row = _sent_code(petition)
    # The code goes to the e-mail given with the petition, through the outbox.
    assert row.channel == Notification.Channel.EMAIL
    assert row.recipient_address == "binh@example.vn"
    # Sealed while it waits in the outbox (notifications.sealing), opened to send.
    assert code_of(row) not in str(row.context)
    code = code_of(row)
    assert len(code) == 6 and code.isdigit()

    done = client.post(
        "/track/forgot/confirm/",
        {"tracking_code": petition.tracking_code, "code": code},
    )
    assert done.status_code == 200
    html = done.content.decode()
    new_secret = html.split('id="secret">')[1].split("<")[0]
    assert new_secret and new_secret != old_secret
    # The session now opens the case, as after a lookup with the new secret.
    assert [code for code, _ in client.session[SESSION_KEY]] == [petition.tracking_code]
    petition.refresh_from_db()
    assert petition.has_secret(new_secret) is True
    assert petition.has_secret(old_secret) is False
    entry = HistoryEntry.objects.filter(petition=petition).latest("seq")
    assert entry.action == Action.REISSUE_SECRET
    # The secret itself is never written into the history.
    assert new_secret not in str(entry.data) + entry.reason
    # The submitter hears that the secret changed (a theft would not go unnoticed).
    assert Notification.objects.filter(
        petition_id=petition.pk, event="secret_reissued"
    ).exists()
    # A code works once.
    again = client.post(
        "/track/forgot/confirm/",
        {"tracking_code": petition.tracking_code, "code": code},
    )
    assert again.status_code == 400
    assert "không đúng hoặc đã hết hiệu lực" in again.content.decode()


def test_a_wrong_code_changes_nothing_and_five_wrong_tries_kill_the_code(
    client, file_with_secret, settings
):
    settings.FEEDBACK_RECOVERY_LIMIT = 10  # the per-code limit is under test
    petition, secret = file_with_secret()
    client.post("/track/forgot/", {"tracking_code": petition.tracking_code})
    code = code_of(_sent_code(petition))
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = client.post(
            "/track/forgot/confirm/",
            {"tracking_code": petition.tracking_code, "code": wrong},
        )
        assert response.status_code == 400
    # The right code no longer helps after five wrong tries: guessing is bounded.
    late = client.post(
        "/track/forgot/confirm/",
        {"tracking_code": petition.tracking_code, "code": code},
    )
    assert late.status_code == 400
    assert Petition.objects.get(pk=petition.pk).has_secret(secret) is True
    assert SESSION_KEY not in client.session


def test_a_code_expires_after_fifteen_minutes(client, file_with_secret):
    petition, secret = file_with_secret()
    client.post("/track/forgot/", {"tracking_code": petition.tracking_code})
    code = code_of(_sent_code(petition))
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(
            "/track/forgot/confirm/",
            {"tracking_code": petition.tracking_code, "code": code},
        )
    assert response.status_code == 400
    assert Petition.objects.get(pk=petition.pk).has_secret(secret) is True


def test_an_unknown_code_and_a_petition_without_contact_get_the_same_reply(
    client, enter, reception
):
    # A letter with a postal address only: nothing to send a code to.
    petition = enter(reception).petition
    silent = client.post("/track/forgot/", {"tracking_code": petition.tracking_code})
    unknown = client.post("/track/forgot/", {"tracking_code": "NOSUCHCODE"})
    assert silent.status_code == unknown.status_code == 200

    # The reply is worded the same, so it tells a stranger nothing.
    def strip(response, code):
        main = response.content.decode().split("<main")[1].split("</main>")[0]
        return main.replace(code, "").split('name="csrfmiddlewaretoken"')[0]

    assert strip(silent, petition.tracking_code) == strip(unknown, "NOSUCHCODE")
    assert not Notification.objects.filter(event="recovery_code").exists()


def test_code_requests_are_rate_limited_with_a_message(
    client, file_with_secret, settings
):
    settings.FEEDBACK_RECOVERY_LIMIT = 2
    petition, _ = file_with_secret(phone="0912345678")
    for _ in range(2):
        client.post("/track/forgot/", {"tracking_code": petition.tracking_code})
    refused = client.post("/track/forgot/", {"tracking_code": petition.tracking_code})
    assert refused.status_code == 429
    assert "quá nhiều lần" in refused.content.decode()
    # Each code voids the one before: only the newest can be redeemed.
    rows = Notification.objects.filter(petition_id=petition.pk, event="recovery_code")
    assert {r.channel for r in rows} == {"email", "sms"}
    assert rows.count() == 4


def test_the_tracking_page_links_to_recovery(client):
    assert 'href="/track/forgot/"' in client.get("/track/").content.decode()


@pytest.mark.parametrize(
    "sent", [{}, {"tracking_code": "  "}, {"tracking_code": "X" * 21}]
)
@pytest.mark.parametrize(
    ("language", "label", "missing"),
    [
        ("vi", "Mã tra cứu", "Vui lòng nhập thông tin này."),
        ("en", "Tracking code", "Please fill in this field."),
    ],
)
def test_a_confirmation_without_a_usable_tracking_code_goes_back_to_the_first_step(
    client, db, sent, language, label, missing
):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    before = row_counts()

    response = client.post("/track/forgot/confirm/", {**sent, "code": "123456"})

    html = response.content.decode()
    assert response.status_code == 400
    # The code is a hidden field of the second step: only the first step can
    # ask for it again, as a field of its own, labelled in the page's language.
    assert 'type="text" name="tracking_code"' in html
    assert f">{label}: " in html
    if not sent.get("tracking_code", "").strip():
        assert missing in html
    assert "None" not in html
    assert row_counts() == before
