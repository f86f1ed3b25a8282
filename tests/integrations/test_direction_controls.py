"""A direction override makes a text show in another order than it is stored.

"Nguyễn Văn ‮nA" shows a name that is not the one filed, "‮fdp.exe" a PDF that is
not, a title reads backwards in every list. No text a door takes may hold an
explicit direction formatting character (workflow.intake_rules.FORBIDDEN_CHARACTER):
each door refuses it in its own format and writes nothing; what cannot be sent
back to be mended (an e-mail received, a file's name) is stored without it.
"""

from urllib.parse import urlencode

import pytest
from django.utils import timezone

from feedback.files import download_name
from feedback.integrations.keys import issue_api_key
from feedback.mailbox.parsing import parse_message
from tests import factories
from tests.support.rows import row_counts
from workflow import intake_rules as rules
from workflow import services
from workflow.errors import InvalidInput
from workflow.models import Extension, HistoryEntry

OVERRIDES = ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2069"]


@pytest.mark.parametrize("mark", OVERRIDES)
def test_each_explicit_direction_control_is_named(mark):
    assert rules.forbidden_character(f"Nguyễn Văn {mark}nA") == f"U+{ord(mark):04X}"


@pytest.mark.parametrize(
    "control", ["\x01", "\x07", "\x08", "\x0e", "\x1b", "\x7f", "\x84", "\x9b"]
)
def test_each_control_character_but_whitespace_is_named(control):
    # ESC starts a terminal's commands ("\x1b[31m"), a PDF draws a box for them.
    assert rules.forbidden_character(f"Tiêu{control}đề") == f"U+{ord(control):04X}"


@pytest.mark.parametrize(
    "text", ["a\tb", "dòng 1\r\ndòng 2", "a\x0bb\x0cc", "a\x1cb\x1f", "a\x85b"]
)
def test_whitespace_controls_are_whitespace_not_forbidden(text):
    # Tab, line breaks, vertical tab and form feed (Word's line and page breaks),
    # the separators and NEL: every strip and split treats them as spaces.
    assert rules.forbidden_character(text) is None


@pytest.mark.parametrize(
    "text", ["Nguyễn Văn An", "طلب \u200f(1)", "A\u200eB", "شكوى", "\u061c٢"]
)
def test_right_to_left_text_and_implicit_marks_are_no_override(text):
    # Arabic or Hebrew are ordered without explicit controls; the implicit marks
    # reorder nothing beyond their neighbours.
    assert rules.forbidden_character(text) is None


def test_the_api_refuses_a_control_character_naming_the_field(post_petition):
    before = row_counts()

    response = post_petition(title="Tiêu \x1b[31mđề")

    assert response.status_code == 400
    assert response.json()["errors"]["title"] == [
        "Must not contain U+001B (a control character or a direction override)."
    ]
    assert row_counts() == before


@pytest.mark.parametrize(
    "field, overrides",
    [
        ("submitter.name", {"submitter": {"name": "Nguyễn Văn \u202enA"}}),
        ("title", {"title": "Đường \u202eộd gnoưđ"}),
        ("content", {"content": "Tệp \u202efdp.exe đính kèm"}),
        ("external_id", {"external_id": "DVC-\u2066-1"}),
    ],
)
def test_the_api_refuses_an_override_naming_the_field(post_petition, field, overrides):
    if field == "submitter.name":
        overrides["submitter"].update(kind="citizen", email="an@example.vn")
    before = row_counts()

    response = post_petition(**overrides)

    assert response.status_code == 400
    [problem] = response.json()["errors"][field]
    assert "U+20" in problem and "direction override" in problem
    assert row_counts() == before


def test_open311_refuses_an_override_in_its_format(client, land):
    key = issue_api_key(name="open311-app", now=timezone.now())[1]
    before = row_counts()
    body = urlencode(
        {
            "api_key": key,
            "service_code": land.code,
            "first_name": "An",
            "last_name": "Nguyễn",
            "email": "an@example.vn",
            "description": "Đèn đường hỏng \u202etrước số 12",
            "attribute[province]": str(factories.LANG_SON),
        }
    )

    response = client.generic(
        "POST",
        "/open311/v2/requests.json",
        data=body.encode(),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert [e["description"] for e in response.json()] == [
        "description: must not contain U+202E (a control character or a direction "
        "override)."
    ]
    assert row_counts() == before


def test_staff_entry_refuses_an_override_in_the_postal_address(reception, enter):
    with pytest.raises(InvalidInput) as refused:
        enter(reception, postal_address="Thôn Bản \u202etắhC, Lạng Sơn")
    assert (refused.value.field, refused.value.code) == (
        "postal_address",
        "forbidden_character",
    )


def test_a_step_reason_refuses_an_override(submit, routed_to_a, supervisor_a):
    petition = submit()
    with pytest.raises(InvalidInput) as refused:
        services.reject_petition(
            petition_id=petition.pk, actor=supervisor_a, reason="Không \u202ephù hợp"
        )
    assert refused.value.code == "forbidden_character"
    petition.refresh_from_db()
    assert petition.state != "rejected"


def test_a_received_email_is_stored_without_overrides():
    raw = (
        "From: =?utf-8?q?Nguy=E1=BB=85n_An?= <an@example.vn>\r\n"
        "To: pakn@example.gov.vn\r\n"
        "Subject: =?utf-8?b?"
        + __import__("base64").b64encode("Đèn \u202ehỏng".encode()).decode()
        + "?=\r\n"
        "Message-ID: <m1@example.vn>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
        "Đèn đường \u2066hỏng\u2069 trước số 12.\r\n"
    ).encode()

    message = parse_message(raw)

    assert message.subject == "Đèn hỏng"
    assert "\u2066" not in message.body and "Đèn đường hỏng" in message.body


def test_a_file_name_loses_its_override():
    # Shown in reverse it would read "exe.pdf"; its sniffed type gives the ending.
    assert download_name("\u202efdp.exe", "application/pdf") == "fdp.pdf"


def test_the_texts_a_step_may_go_without_refuse_an_override(
    submit, routed_to_a, handler_a, supervisor_a, citizen
):
    # A withdrawal's reason, a rating's comment, an extension's decision note and
    # a rejection's "where to turn" are optional, and as checked as a reason.
    def refused(call):
        with pytest.raises(InvalidInput) as error:
            call()
        assert error.value.code == "forbidden_character"

    rejected = submit()
    refused(
        lambda: services.reject_petition(
            petition_id=rejected.pk,
            actor=supervisor_a,
            reason="Không thuộc phạm vi",
            redirect_hint="Liên hệ \u2067 Sở Y tế",
        )
    )
    withdrawn = submit()
    refused(
        lambda: services.withdraw_petition(
            petition_id=withdrawn.pk, actor=citizen, reason="Không \u2067 cần nữa"
        )
    )
    extended = services.accept_petition(petition_id=submit().pk, actor=handler_a)
    services.request_extension(
        petition_id=extended.pk, actor=handler_a, days=5, reason="Xác minh"
    )
    refused(
        lambda: services.decide_extension(
            petition_id=extended.pk, actor=supervisor_a, approve=False, note="\u202e"
        )
    )
    rated = services.accept_petition(petition_id=submit().pk, actor=handler_a)
    services.answer_petition(petition_id=rated.pk, actor=handler_a, text="Đã sửa.")
    refused(
        lambda: services.record_rating(
            petition_id=rated.pk, actor=citizen, score=4, comment="Tốt \u202e lắm"
        )
    )
    for petition in (rejected, withdrawn):
        petition.refresh_from_db()
        assert petition.state == "assigned"
    assert Extension.objects.get(petition=extended).status == "pending"
    assert not HistoryEntry.objects.filter(petition=rated, action="rate").exists()
