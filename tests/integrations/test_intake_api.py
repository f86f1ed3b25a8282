import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from feedback.integrations.keys import issue_api_key
from feedback.integrations.models import ApiKey
from notifications.models import Notification
from tests import factories
from workflow import services
from workflow.access import Actor
from workflow.models import Channel, HistoryEntry, Petition, Role, State


def test_a_portal_petition_is_created_routed_and_answered_with_its_code_and_secret(
    post_petition, routed_to_a, agency_a
):
    response = post_petition()

    assert response.status_code == 201
    body = response.json()
    petition = Petition.objects.get(tracking_code=body["tracking_code"])
    assert (petition.channel, petition.channel_ref) == ("portal", "DVC-2026-000001")
    assert petition.submitter_name == "Nguyễn Văn An"
    # The routing rule sent it to agency A inside the same request.
    assert body["state"] == State.ASSIGNED == petition.state
    assert body["agency"] == agency_a.name
    assert body["external_id"] == "DVC-2026-000001"
    assert set(body["deadlines"]) == {"due_at", "next_due_at"}
    assert body["received_at"].endswith("+07:00")
    assert body["answer"] is None
    # The secret is shown once, in this response, and only its hash is stored.
    assert petition.has_secret(body["secret"]) is True
    assert body["secret"] not in petition.secret_hash
    assert response["Location"] == f"/api/v1/petitions/{petition.tracking_code}"


def test_the_same_external_id_again_returns_the_first_petition_and_creates_nothing(
    post_petition,
):
    first = post_petition()
    again = post_petition()  # a retry: the same id with the same text

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    # No second secret: the first one stays the only way in.
    assert "secret" not in again.json()
    assert Petition.objects.count() == 1
    assert HistoryEntry.objects.filter(action="submit").count() == 1
    assert Notification.objects.filter(event="received").count() == 2


def test_an_id_and_text_in_composed_or_decomposed_letters_are_one_delivery(
    post_petition,
):
    import unicodedata

    def nfd(text):
        return unicodedata.normalize("NFD", text)

    first = post_petition(external_id="ĐẤT-2026-7")
    again = post_petition(
        external_id=nfd("ĐẤT-2026-7"),
        title=nfd("Đường liên xã xuống cấp"),
        content=nfd("Đề nghị sửa chữa đoạn đường liên xã."),
    )
    other_case = post_petition(external_id="đất-2026-7")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    # Case is the sender's own: another id, another petition.
    assert other_case.status_code == 201
    assert Petition.objects.count() == 2
    assert Petition.objects.filter(channel_ref="ĐẤT-2026-7").count() == 1


def test_a_name_sent_in_decomposed_letters_is_stored_composed(post_petition):
    import unicodedata

    response = post_petition(
        submitter={
            "name": unicodedata.normalize("NFD", "Nguyễn Văn An"),
            "email": "an@example.vn",
        }
    )

    assert response.status_code == 201
    assert Petition.objects.get().submitter_name == "Nguyễn Văn An"


def test_a_used_external_id_with_another_text_is_a_conflict_and_stores_nothing(
    post_petition,
):
    first = post_petition()
    for changed in ({"title": "Tiêu đề khác"}, {"content": "Một phản ánh khác hẳn."}):
        again = post_petition(**changed)

        assert again.status_code == 409
        body = again.json()
        assert body["error"] == "conflict"
        assert body["tracking_code"] == first.json()["tracking_code"]
        assert "DVC-2026-000001" in body["message"]
    # Neither petition is lost without the portal knowing, nor merged into one.
    petition = Petition.objects.get()
    assert petition.title == "Đường liên xã xuống cấp"
    assert HistoryEntry.objects.filter(action="submit").count() == 1


def test_a_repeated_delivery_gets_its_petition_even_if_the_body_no_longer_passes(
    post_petition, land
):
    first = post_petition()
    land.is_active = False
    land.save()

    again = post_petition()

    assert again.status_code == 200
    assert again.json()["tracking_code"] == first.json()["tracking_code"]


def test_a_known_id_with_another_invalid_code_is_refused_not_a_repeat(post_petition):
    post_petition()

    # Not the same delivery: its category is not the one filed, and is unknown.
    response = post_petition(category="AAA")

    assert response.status_code == 400
    assert response.json()["errors"] == {"category": ["Unknown category 'AAA'."]}


def test_a_closed_category_is_refused_as_closed_not_as_unknown(post_petition, land):
    land.is_active = False
    land.save()

    response = post_petition()

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "category": [f"Category '{land.code}' no longer takes petitions."]
    }


def test_other_channels_do_not_share_the_portal_ids(post_petition, submit):
    submit(channel="open311", channel_ref="DVC-2026-000001")

    assert post_petition().status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "title is required."),
        ({"title": 42}, "title", "Must be a string."),
        ({"title": "x" * 301}, "title", "At most 300 characters."),
        ({"content": "   "}, "content", "content is required."),
        ({"category": "nope"}, "category", "Unknown category 'nope'."),
        ({"province": "20"}, "province", "Must be an integer."),
        ({"province": True}, "province", "Must be an integer."),
        ({"province": 99}, "province", "Unknown province 99."),
        ({"commune": 1}, "commune", "Unknown commune 1."),
        ({"priority": "asap"}, "priority", "Use one of: normal, urgent."),
        ({"language": "fr"}, "language", "Use one of: vi, en."),
        ({"publish_consent": "yes"}, "publish_consent", "Must be true or false."),
        ({"external_id": " "}, "external_id", "external_id is required."),
        ({"external_id": "x" * 101}, "external_id", "At most 100 characters."),
        # 100 characters as sent, 200 composed (NFC), as the id is stored.
        (
            {"external_id": "\u0344" * 100},
            "external_id",
            "external_id is longer than 100 characters.",
        ),
        (
            {"submitter": {"name": "\U0001d160" * 100, "phone": "0912345678"}},
            "submitter.name",
            "submitter.name is longer than 200 characters.",
        ),
        (
            {"content": "a\x00b"},
            "content",
            "Must not contain U+0000 (a control character or a direction override).",
        ),
        ({"colour": "red"}, "colour", "Unknown field."),
        ({"submitter": "An"}, "submitter", "submitter must be an object."),
        (
            {"submitter": {"name": "An", "email": "not-an-email"}},
            "submitter.email",
            "Enter a valid email address.",
        ),
        (
            {"submitter": {"name": "An"}},
            "submitter.email",
            "Give an email address or a phone number.",
        ),
        (
            {
                "submitter": {
                    "name": "Công ty X",
                    "kind": "business",
                    "phone": "0912345678",
                }
            },
            "submitter.tax_code",
            "A business must give its tax code.",
        ),
        (
            {"submitter": {"name": "An", "phone": "0" * 21}},
            "submitter.phone",
            "At most 20 characters.",
        ),
    ],
)
def test_bad_fields_get_400_naming_the_field_and_nothing_is_stored(
    post_petition, overrides, field, message
):
    response = post_petition(**overrides)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert response.json()["errors"] == {field: [message]}
    assert Petition.objects.count() == 0


def test_every_bad_field_is_named_at_once(post_petition):
    response = post_petition(title=None, province="x", submitter={"kind": "robot"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "title",
        "province",
        "submitter.kind",
        "submitter.name",
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "Malformed JSON"),
        ("[1, 2]", "Send a JSON object."),
        ("", "Malformed JSON"),
        ('"text"', "Send a JSON object."),
    ],
)
def test_a_body_that_is_not_a_json_object_gets_400(post_petition, raw, message):
    response = post_petition(raw=raw)

    assert response.status_code == 400
    assert message in response.json()["errors"]["body"][0]


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Bearer not-a-key-at-all",
        "Basic dXNlcjpwdw==",
        "Bearer ✓✓✓✓✓✓✓✓",
    ],
)
def test_a_missing_or_unknown_key_gets_401_and_nothing_is_stored(
    client, land, authorization
):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.post(
        "/api/v1/petitions", data={}, content_type="application/json", headers=headers
    )

    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Petition.objects.count() == 0


def test_a_deactivated_key_gets_401(post_petition, portal_key):
    ApiKey.objects.update(is_active=False)

    assert post_petition().status_code == 401
    assert Petition.objects.count() == 0


def test_a_key_over_its_limit_gets_429_with_retry_after(post_petition, db):
    _, key = issue_api_key(name="tight", now=timezone.now(), requests_per_minute=2)

    statuses = [
        post_petition(key=key, external_id=f"X-{n}").status_code for n in range(3)
    ]

    assert statuses[:2] == [201, 201]
    # The third call in the same minute is refused, with when to come back.
    assert statuses[2] == 429
    response = post_petition(key=key, external_id="X-4")
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 61
    assert response.json()["retry_after"] == int(response["Retry-After"])
    assert Petition.objects.count() == 2


def test_the_collection_answers_405_to_get(client, portal_key):
    response = client.get(
        "/api/v1/petitions", headers={"Authorization": f"Bearer {portal_key}"}
    )

    assert response.status_code == 405
    assert response["Allow"] == "POST"


# --- GET /api/v1/petitions/<code> ------------------------------------------------


def _get(client, code, key):
    return client.get(
        f"/api/v1/petitions/{code}", headers={"Authorization": f"Bearer {key}"}
    )


def test_the_portal_reads_state_deadlines_answer_and_history(
    client, post_petition, portal_key, routed_to_a, handler_a
):
    code = post_petition().json()["tracking_code"]
    petition = Petition.objects.get(tracking_code=code)
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(
        petition_id=petition.pk, actor=handler_a, text="Đã sửa xong đường."
    )

    response = _get(client, code.lower(), portal_key)

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == State.ANSWERED
    assert body["state_label"] == "Đã trả lời"
    assert body["is_open"] is False
    assert body["answer"]["text"] == "Đã sửa xong đường."
    assert body["answer"]["answered_at"] is not None
    assert [step["action"] for step in body["history"]] == [
        "submit",
        "triage",
        "accept",
        "answer",
    ]
    assert "secret" not in body


def test_a_draft_answer_waiting_for_review_is_not_shown(
    client, post_petition, portal_key, land
):
    reviewed = factories.agency("so-review", requires_answer_review=True)
    factories.rule(reviewed, category=land)
    handler = Actor.staff(factories.staff("handler_r", Role.HANDLER, reviewed))
    code = post_petition().json()["tracking_code"]
    petition = Petition.objects.get(tracking_code=code)
    services.accept_petition(petition_id=petition.pk, actor=handler)
    services.answer_petition(petition_id=petition.pk, actor=handler, text="Nháp")

    body = _get(client, code, portal_key).json()

    assert body["state"] == State.ANSWER_REVIEW
    assert body["answer"] is None


def test_a_rejection_tells_the_reason_and_where_to_turn(
    client, post_petition, portal_key, coordinator
):
    code = post_petition().json()["tracking_code"]
    petition = Petition.objects.get(tracking_code=code)
    services.reject_petition(
        petition_id=petition.pk,
        actor=coordinator,
        reason="Nội dung là khiếu nại.",
        redirect_hint="Gửi đơn khiếu nại theo Luật Khiếu nại.",
    )

    body = _get(client, code, portal_key).json()

    assert body["state"] == State.REJECTED
    assert body["rejection"] == {
        "reason": "Nội dung là khiếu nại.",
        "redirect_hint": "Gửi đơn khiếu nại theo Luật Khiếu nại.",
    }
    assert body["closed_at"] is not None


def test_state_labels_follow_the_accept_language(client, post_petition, portal_key):
    code = post_petition().json()["tracking_code"]

    response = client.get(
        f"/api/v1/petitions/{code}",
        headers={"Authorization": f"Bearer {portal_key}", "Accept-Language": "en"},
    )

    with translation.override("en"):
        expected = str(State.RECEIVED.label)
    assert response.json()["state"] == "received"
    assert response.json()["state_label"] == expected


def test_unknown_codes_and_petitions_of_other_channels_are_404(
    client, portal_key, submit
):
    web_petition = submit()

    for code in ("NOSUCHCODE", web_petition.tracking_code):
        response = _get(client, code, portal_key)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
        # Nothing of the web petition leaks into the refusal.
        assert web_petition.title not in response.content.decode()


def test_reading_needs_a_valid_key(client, post_petition):
    code = post_petition().json()["tracking_code"]

    assert client.get(f"/api/v1/petitions/{code}").status_code == 401
    assert _get(client, code, "x" * 43).status_code == 401


def test_unknown_api_paths_answer_json_404(client):
    response = client.get("/api/v1/nothing/here")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_the_key_records_when_it_was_last_used(post_petition, portal_key, db):
    before = timezone.now()
    post_petition()

    api_key = ApiKey.objects.get(name="portal")
    assert api_key.last_used_at >= before
    # Within a minute a second call does not write again.
    ApiKey.objects.update(last_used_at=before - timedelta(seconds=30))
    post_petition(external_id="another")
    assert ApiKey.objects.get().last_used_at == before - timedelta(seconds=30)


def test_the_petition_keeps_the_portal_channel_and_language(post_petition):
    post_petition(language="en", priority="urgent", publish_consent=True)

    petition = Petition.objects.get()
    assert petition.channel == Channel.PORTAL
    assert (petition.language, petition.priority, petition.publish_consent) == (
        "en",
        "urgent",
        True,
    )


def test_null_optional_fields_count_as_left_out(post_petition):
    response = post_petition(commune=None, priority=None, language=None)

    assert response.status_code == 201
    assert json.loads(response.content)["state"] == State.RECEIVED


def test_a_body_over_the_upload_limit_gets_413(post_petition, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = post_petition(content="x" * 2000)

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert Petition.objects.count() == 0


def test_a_malformed_body_is_refused_even_under_a_known_external_id(post_petition):
    post_petition()

    response = post_petition(title=42)

    assert response.status_code == 400
    assert response.json()["errors"] == {"title": ["Must be a string."]}
