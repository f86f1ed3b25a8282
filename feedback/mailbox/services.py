"""The mailbox door: fetched e-mails become drafts; a coordinator confirms each as a
petition, or rejects it.

A draft is not a petition: spam, replies and mail that is no petition at all are
rejected without entering the statistics. But the receipt moment of a confirmed
petition is when the agency's mail server received the e-mail (Decree 20/2008/NĐ-CP
counts from receipt by the agency, not from when someone read it), so the time a
draft waits for a coordinator counts against the triage clock, and the petition
shows as entered after its receipt, like every late entry (workflow.receipts).
"""

import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.files import sniff
from feedback.forms import MESSAGES
from feedback.mailbox import imap
from feedback.mailbox.models import InboundEmail
from feedback.mailbox.parsing import MailAttachment, parse_message
from feedback.services import Upload, enter_petition
from workflow import intake_rules as rules
from workflow.errors import InvalidInput, NotAllowedNow, NotPermitted
from workflow.models import Channel
from workflow.permissions import StaffRoles
from workflow.services import MAIL_SERVER

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollResult:
    fetched: int = 0
    stored: int = 0  # new drafts; the rest were fetched before


def poll(config: imap.MailboxConfig, *, now) -> PollResult:
    """Store every unseen message of the mailbox as a draft, then mark it seen."""
    conn = imap.connect(config)
    fetched = stored = 0
    try:
        for uid in imap.unseen(conn):
            message = imap.fetch(conn, uid)
            if message is None:
                continue
            fetched += 1
            _draft, created = store_message(
                raw=message.raw,
                received_at=message.received_at,
                mailbox=config.label,
                uid=uid,
                now=now,
            )
            stored += created
            imap.mark_seen(conn, uid)
    finally:
        try:
            conn.logout()
        except Exception:  # noqa: BLE001 - the drafts are stored; logout is courtesy
            logger.warning("Logout from %s failed", config.label)
    return PollResult(fetched=fetched, stored=stored)


def store_message(*, raw: bytes, received_at, mailbox: str, uid, now):
    """The draft of one message: (draft, created). The same Message-ID again (a
    message fetched twice, or sent twice) returns the first draft."""
    parsed = parse_message(raw)
    existing = InboundEmail.objects.filter(message_key=parsed.message_key).first()
    if existing is not None:
        return existing, False
    name = default_storage.save(f"inbound/{parsed.message_key}.eml", ContentFile(raw))
    try:
        with transaction.atomic():
            draft = InboundEmail.objects.create(
                message_key=parsed.message_key,
                message_id=parsed.message_id,
                mailbox=mailbox,
                uid=uid,
                received_at=received_at,
                fetched_at=now,
                sender_name=parsed.sender_name,
                sender_address=parsed.sender_address,
                subject=parsed.subject,
                body=parsed.body,
                attachment_count=len(parsed.attachments),
                raw=name,
                size=len(raw),
            )
    except IntegrityError:
        # Another poller stored it meanwhile.
        default_storage.delete(name)
        return InboundEmail.objects.get(message_key=parsed.message_key), False
    return draft, True


@dataclass(frozen=True)
class DraftAttachment:
    name: str
    size: int
    content_type: str | None  # None: not a kind a petition takes
    refusal: str | None  # why it stays in the e-mail only (kept there in full)


def draft_attachments(draft) -> list[tuple[MailAttachment, DraftAttachment]]:
    """The message's attachments, each with whether it may join the petition
    (PDF, JPEG or PNG by content; the web form's count and size limits)."""
    with draft.raw.open("rb") as stored:
        parsed = parse_message(stored.read())
    limits = rules.FileLimits.from_settings()
    taken, total, result = 0, 0, []
    for item in parsed.attachments:
        kind = sniff(item.data[:16])
        refusal = limits.file_problem(item.name, len(item.data))
        if kind is None:
            refusal = refusal or MESSAGES["file_type"] % {"name": item.name}
        elif refusal is None:
            if taken + 1 > limits.count or total + len(item.data) > limits.total_bytes:
                refusal = limits.count_problem(taken + 1) or limits.total_problem(
                    total + len(item.data)
                )
            else:
                taken, total = taken + 1, total + len(item.data)
        result.append(
            (
                item,
                DraftAttachment(
                    name=item.name,
                    size=len(item.data),
                    content_type=kind.content_type if kind else None,
                    refusal=str(refusal) if refusal else None,
                ),
            )
        )
    return result


def _require_triage_desk(actor):
    roles = StaffRoles.of(actor)
    if not (roles.is_admin or roles.is_coordinator):
        raise NotPermitted("Only a coordinator may confirm or reject an e-mail.")


def _locked_pending(draft_id) -> InboundEmail:
    draft = InboundEmail.objects.select_for_update().filter(pk=draft_id).first()
    if draft is None:
        raise InvalidInput(f"No e-mail draft {draft_id}.", field="draft")
    if draft.status != InboundEmail.Status.PENDING:
        raise NotAllowedNow(
            f"This e-mail was already decided ({draft.get_status_display()})."
        )
    return draft


@transaction.atomic
def confirm_draft(*, draft_id, actor, **fields):
    """The e-mail becomes a petition received when the mail server received it,
    with the attachments a petition takes; the draft remembers which petition."""
    _require_triage_desk(actor)
    draft = _locked_pending(draft_id)
    uploads = tuple(
        Upload(file=ContentFile(item.data, name=item.name), kind=sniff(item.data[:16]))
        for item, facts in draft_attachments(draft)
        if facts.refusal is None
    )
    submission = enter_petition(
        actor=actor,
        channel=Channel.EMAIL,
        received_at=draft.received_at,
        receipt_source=MAIL_SERVER,
        form_token=f"mail-{draft.pk}",
        attachments=uploads,
        **fields,
    )
    draft.status = InboundEmail.Status.CONFIRMED
    draft.petition = submission.petition
    draft.decided_by = actor.user
    draft.decided_at = timezone.now()
    draft.save(update_fields=["status", "petition", "decided_by", "decided_at"])
    return submission


@transaction.atomic
def reject_draft(*, draft_id, actor, reason):
    """Not a petition (spam, a reply, another procedure): kept, with the reason."""
    _require_triage_desk(actor)
    draft = _locked_pending(draft_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("A reason is required.", field="reason")
    rules.refuse_forbidden_characters("reason", reason)
    draft.status = InboundEmail.Status.REJECTED
    draft.rejection_reason = reason
    draft.decided_by = actor.user
    draft.decided_at = timezone.now()
    draft.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    return draft
