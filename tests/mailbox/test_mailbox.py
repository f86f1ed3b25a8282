"""Inbound e-mail: a real IMAP server (dovecot) fills the triage desk's drafts."""

from datetime import datetime

import pytest
from django.core.management import CommandError, call_command

from feedback.mailbox import services, tasks
from feedback.mailbox.models import InboundEmail
from feedback.models import Attachment
from tests import factories
from tests.support.mail import letter
from workflow.deadlines import VIETNAM
from workflow.errors import NotAllowedNow, NotPermitted
from workflow.models import Clock, HistoryEntry, Petition, State

ARRIVED = datetime(2026, 3, 9, 22, 15, tzinfo=VIETNAM)  # Monday evening
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def petition_fields(land):
    return dict(
        submitter_kind="citizen",
        submitter_name="Lò Văn Pá",
        email="pa.lo@example.vn",
        title="Đề nghị sửa đường liên thôn",
        content="Đường liên thôn Nà Pàn bị sạt lở sau mưa lớn.",
        category=land.code,
        province=factories.LANG_SON,
    )


def test_new_messages_become_drafts_not_petitions(mailbox, db):
    mailbox.deliver(
        letter(
            subject="Phản ánh về cầu treo Bản Chắt",
            attachments=[("anh-cau.png", PNG, "image", "png")],
        ),
        arrived_at=ARRIVED,
    )
    mailbox.deliver(letter(subject="Hỏi thủ tục"), arrived_at=ARRIVED)
    assert tasks.poll_mailbox() == 2
    drafts = list(InboundEmail.objects.order_by("pk"))
    assert [d.subject for d in drafts] == [
        "Phản ánh về cầu treo Bản Chắt",
        "Hỏi thủ tục",
    ]
    first = drafts[0]
    # The receipt moment is the server's (INTERNALDATE), not when it was fetched.
    assert first.received_at == ARRIVED
    assert (first.sender_name, first.sender_address) == (
        "Lò Văn Pá",
        "pa.lo@example.vn",
    )
    assert "sạt lở" in first.body
    assert first.attachment_count == 1
    assert first.status == InboundEmail.Status.PENDING
    # A draft is not a petition: no case, no clock.
    assert Petition.objects.count() == 0
    assert Clock.objects.count() == 0
    # The messages are marked seen on the server.
    assert mailbox.seen_flags() == [True, True]


def test_an_html_only_letter_becomes_a_draft_of_the_text_it_shows(mailbox, db):
    html = "<script>alert(1)</script><p>Xin chào 😀</p><p>Đường sạt lở.</p>"
    mailbox.deliver(letter(html=html), arrived_at=ARRIVED)

    assert tasks.poll_mailbox() == 1
    assert InboundEmail.objects.get().body == "Xin chào 😀\n\nĐường sạt lở."


def test_polling_again_stores_nothing_twice(mailbox, db):
    raw = letter(message_id="<once@example.vn>")
    mailbox.deliver(raw, arrived_at=ARRIVED)
    assert tasks.poll_mailbox() == 1
    assert tasks.poll_mailbox() == 0
    # The same message delivered again (a resend, a second copy): one draft.
    mailbox.deliver(raw, arrived_at=ARRIVED)
    assert tasks.poll_mailbox() == 0
    assert InboundEmail.objects.count() == 1


def test_the_command_reports_what_it_fetched(mailbox, db, capsys):
    mailbox.deliver(letter(), arrived_at=ARRIVED)
    call_command("poll_mailbox")
    assert "1 fetched, 1 new drafts" in capsys.readouterr().out


def test_the_command_says_when_no_mailbox_is_configured(db, settings):
    settings.MAILBOX_IMAP_HOST = ""
    with pytest.raises(CommandError, match="No mailbox configured"):
        call_command("poll_mailbox")
    assert tasks.poll_mailbox() == 0


def test_a_wrong_password_is_a_clear_error(mailbox, db, settings):
    settings.MAILBOX_IMAP_PASSWORD = "wrong"
    with pytest.raises(CommandError, match="could not be read"):
        call_command("poll_mailbox")


def test_confirming_makes_a_petition_received_when_the_mail_arrived(
    mailbox, db, land, coordinator, routed_to_a
):
    mailbox.deliver(
        letter(
            attachments=[
                ("don-thu.pdf", PDF, "application", "pdf"),
                ("virus.exe", b"MZ\x90\x00", "application", "octet-stream"),
            ]
        ),
        arrived_at=ARRIVED,
    )
    tasks.poll_mailbox()
    draft = InboundEmail.objects.get()
    submission = services.confirm_draft(
        draft_id=draft.pk, actor=coordinator, **petition_fields(land)
    )
    petition = Petition.objects.get(pk=submission.petition.pk)
    assert (petition.channel, petition.state) == ("email", State.ASSIGNED)
    assert petition.received_at == ARRIVED
    assert petition.entered_by == coordinator.user
    entry = HistoryEntry.objects.get(petition=petition, action="submit")
    assert entry.data["receipt_source"] == "mail_server"
    assert entry.data["backdated"] is True
    # Only the PDF joins the case; the program stays in the kept message.
    assert list(Attachment.objects.values_list("original_name", flat=True)) == [
        "don-thu.pdf"
    ]
    draft.refresh_from_db()
    assert (draft.status, draft.petition_id) == ("confirmed", petition.pk)
    with pytest.raises(NotAllowedNow, match="already decided"):
        services.confirm_draft(
            draft_id=draft.pk, actor=coordinator, **petition_fields(land)
        )
    assert Petition.objects.count() == 1


def test_a_rejected_draft_keeps_its_reason_and_never_becomes_a_petition(
    mailbox, db, land, coordinator
):
    mailbox.deliver(letter(subject="Quảng cáo"), arrived_at=ARRIVED)
    tasks.poll_mailbox()
    draft = InboundEmail.objects.get()
    services.reject_draft(draft_id=draft.pk, actor=coordinator, reason="Thư quảng cáo")
    draft.refresh_from_db()
    assert (draft.status, draft.rejection_reason) == ("rejected", "Thư quảng cáo")
    assert draft.decided_by == coordinator.user
    with pytest.raises(NotAllowedNow):
        services.confirm_draft(
            draft_id=draft.pk, actor=coordinator, **petition_fields(land)
        )
    assert Petition.objects.count() == 0


def test_only_the_triage_desk_decides_drafts(mailbox, db, land, handler_a):
    mailbox.deliver(letter(), arrived_at=ARRIVED)
    tasks.poll_mailbox()
    draft = InboundEmail.objects.get()
    with pytest.raises(NotPermitted):
        services.confirm_draft(
            draft_id=draft.pk, actor=handler_a, **petition_fields(land)
        )
    with pytest.raises(NotPermitted):
        services.reject_draft(draft_id=draft.pk, actor=handler_a, reason="x")
