"""What submitters do: each function wraps one workflow service with feedback's rows.

Petitions change only through workflow.services; this module adds what the citizen
pages own (attachments, ratings, abuse limits) inside the same transaction, so that a
failure anywhere leaves no half-made petition behind.
"""

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.files import FileKind
from feedback.models import Attachment, Rating
from feedback.ratelimit import hit
from workflow import services as workflow
from workflow.access import Actor
from workflow.errors import InvalidInput, NotAllowedNow, NotPermitted
from workflow.history import insert_entries, next_values
from workflow.models import Action, Petition
from workflow.privacy.identity import own_petition
from workflow.privacy.sensitive import may_mark_sensitive
from workflow.services.steps import lock_petition


class RateLimited(Exception):
    """Too many requests; `scope` says counted by what ("ip", "contact", "tracking")."""

    def __init__(self, *, scope: str, retry_at: datetime):
        super().__init__(f"Rate limit ({scope}) reached until {retry_at.isoformat()}")
        self.scope = scope
        self.retry_at = retry_at


class WrongTrackingPair(Exception):
    """No petition has this tracking code with this secret (which one is not said)."""


@dataclass(frozen=True)
class Upload:
    """An uploaded file whose kind was read from its content (feedback.files)."""

    file: object  # django.core.files.uploadedfile.UploadedFile
    kind: FileKind


def _enforce(key: str, *, scope: str, limit: int, window_seconds: int, now) -> None:
    verdict = hit(key, limit=limit, window=timedelta(seconds=window_seconds), now=now)
    if not verdict.allowed:
        raise RateLimited(scope=scope, retry_at=verdict.retry_at)


def contact_keys(*, email: str, phone: str) -> list[str]:
    """Rate-limit keys of a submitter's contacts, spelled the same however typed."""
    keys = []
    if email.strip():
        keys.append("submit-contact:" + email.strip().lower())
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits:
        # 0912… and +84 912… are the same phone.
        keys.append("submit-contact:" + digits.removeprefix("84").lstrip("0"))
    return keys


def _enforce_submission_limits(*, client_ip, email, phone, now) -> None:
    """One submission more from this IP and these contacts (FEEDBACK_SUBMIT_*)."""
    _enforce(
        f"submit-ip:{client_ip}",
        scope="ip",
        limit=settings.FEEDBACK_SUBMIT_LIMIT_PER_IP,
        window_seconds=settings.FEEDBACK_SUBMIT_WINDOW_PER_IP,
        now=now,
    )
    for key in contact_keys(email=email, phone=phone):
        _enforce(
            key,
            scope="contact",
            limit=settings.FEEDBACK_SUBMIT_LIMIT_PER_CONTACT,
            window_seconds=settings.FEEDBACK_SUBMIT_WINDOW_PER_CONTACT,
            now=now,
        )


@transaction.atomic
def file_petition(
    *,
    client_ip: str,
    submitter_kind: str,
    submitter_name: str,
    title: str,
    content: str,
    category: str,
    province: int,
    commune: int | None = None,
    place: str = "",
    latitude=None,
    longitude=None,
    email: str = "",
    phone: str = "",
    tax_code: str = "",
    language: str = "vi",
    publish_consent: bool = False,
    consent=None,
    form_token: str | None = None,
    attachments: tuple[Upload, ...] = (),
    sensitive_attachments: bool = False,
    identity=None,
) -> workflow.Submission:
    """Receive a petition from the web form, with its attachments, within the limits.

    Counts the submission against the client's IP and each contact given (settings
    FEEDBACK_SUBMIT_*); over a limit, RateLimited is raised and nothing is saved (the
    refused attempt is not counted either, as its transaction rolls back).
    `form_token` is the form's one-time id: a resent form (reload, double click)
    raises workflow's DuplicateSubmission instead of filing the petition twice.
    `consent` (privacy.consent.IntakeConsent) names the notices ticked; a citizen
    logged in with the national identity (`identity`) files under it.
    """
    now = timezone.now()
    _enforce_submission_limits(client_ip=client_ip, email=email, phone=phone, now=now)
    submission = workflow.submit_petition(
        channel="web",
        submitter_kind=submitter_kind,
        submitter_name=submitter_name,
        title=title,
        content=content,
        category=category,
        province=province,
        commune=commune,
        place=place,
        latitude=latitude,
        longitude=longitude,
        email=email,
        phone=phone,
        tax_code=tax_code,
        language=language,
        publish_consent=publish_consent,
        consent=consent,
        channel_ref=form_token,
    )
    if identity is not None:
        own_petition(submission.petition, identity=identity, how="filed", now=now)
    store_attachments(
        submission.petition,
        attachments,
        stage=Attachment.Stage.SUBMISSION,
        now=now,
        sensitive=sensitive_attachments,
    )
    return submission


@transaction.atomic
def enter_petition(
    *,
    actor,
    channel: str,
    received_at=None,
    receipt_source: str = workflow.STATED_BY_STAFF,
    form_token: str | None = None,
    attachments: tuple[Upload, ...] = (),
    sensitive_attachments: bool = False,
    **fields,
) -> workflow.Submission:
    """Staff enter a petition that came to the counter, by phone, letter, e-mail or
    fax, with scans or photos of the letter (workflow.receive_petition's rules).

    `form_token` makes a resent form a DuplicateSubmission, as on the web form; a
    scan of an ID card is marked sensitive with `sensitive_attachments`.
    """
    submission = workflow.receive_petition(
        actor=actor,
        channel=channel,
        received_at=received_at,
        receipt_source=receipt_source,
        channel_ref=form_token,
        **fields,
    )
    store_attachments(
        submission.petition,
        attachments,
        stage=Attachment.Stage.SUBMISSION,
        now=timezone.now(),
        sensitive=sensitive_attachments,
    )
    return submission


def verify_tracking(*, tracking_code: str, secret: str, client_ip: str) -> Petition:
    """The petition with this tracking code and secret, for its submitter's pages.

    Every attempt counts against the client's IP (FEEDBACK_TRACK_*) so that secrets
    cannot be guessed; the count is kept even when the pair is wrong (no transaction).
    """
    _enforce(
        f"track-ip:{client_ip}",
        scope="tracking",
        limit=settings.FEEDBACK_TRACK_LIMIT_PER_IP,
        window_seconds=settings.FEEDBACK_TRACK_WINDOW_PER_IP,
        now=timezone.now(),
    )
    code = (tracking_code or "").strip().upper()
    petition = Petition.objects.filter(tracking_code=code).first()
    if petition is None or not petition.has_secret(secret):
        raise WrongTrackingPair()
    return petition


@transaction.atomic
def add_information(
    *,
    petition_id,
    text: str,
    attachments: tuple[Upload, ...] = (),
    sensitive_attachments: bool = False,
    expected_version,
):
    """The submitter answers the handler's question, possibly with more files."""
    petition = workflow.provide_information(
        petition_id=petition_id,
        actor=Actor.submitter(),
        text=text,
        expected_version=expected_version,
    )
    store_attachments(
        petition,
        attachments,
        stage=Attachment.Stage.INFORMATION,
        now=timezone.now(),
        sensitive=sensitive_attachments,
    )
    return petition


@transaction.atomic
def rate_petition(*, petition_id, score: int, comment: str = "") -> Rating:
    """Record the submitter's satisfaction with the answer, once per petition.

    workflow.record_rating locks the petition first, so of two concurrent ratings
    the second sees the first and is refused.
    """
    petition = workflow.record_rating(
        petition_id=petition_id,
        actor=Actor.submitter(),
        score=score,
        comment=comment,
    )
    if Rating.objects.filter(petition=petition).exists():
        # Not a field's error: the page shows the first rating, not the form
        # (a second tab, a resent form), so the refusal is told above the case.
        raise NotAllowedNow(
            "This petition was already rated.",
            text=_("Phản ánh này đã được đánh giá; mỗi phản ánh chỉ đánh giá một lần."),
        )
    return Rating.objects.create(
        petition=petition,
        score=score,
        comment=(comment or "").strip(),  # checked by record_rating
        rated_at=timezone.now(),
    )


def store_attachments(petition, uploads, *, stage, now, sensitive=False, sha256=""):
    """Write the files and their rows; on any failure remove the files written."""
    written, stored = [], []
    try:
        for upload in uploads:
            attachment = Attachment(
                petition=petition,
                original_name=os.path.basename(upload.file.name or "")[:255],
                content_type=upload.kind.content_type,
                size=upload.file.size,
                stage=stage,
                uploaded_at=now,
                is_sensitive=sensitive,
                sha256=sha256,
            )
            # The stored name is ours: the sender's name may be anything, and the
            # extension follows the detected kind, not the claimed one.
            upload.file.seek(0)
            attachment.file.save(
                f"{uuid.uuid4().hex}{upload.kind.extension}", upload.file, save=False
            )
            written.append(attachment.file.name)
            attachment.save(force_insert=True)
            stored.append(attachment)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return stored


def follow_petition(*, tracking_code, email, phone, language, client_ip):
    """Follow an open petition instead of filing the same one: told of its answer.

    Counted like a submission (per IP and per contact), so that following cannot
    be used to send messages to someone else's address in bulk.
    """
    now = timezone.now()
    _enforce_submission_limits(client_ip=client_ip, email=email, phone=phone, now=now)
    petition = Petition.objects.filter(
        tracking_code=(tracking_code or "").strip().upper()
    ).first()
    if petition is None:
        raise InvalidInput("No such petition.", field="follow")
    return workflow.follow_petition(
        petition_id=petition.pk, email=email, phone=phone, language=language
    )


@transaction.atomic
def mark_attachment_sensitive(*, petition_id, attachment_id, actor):
    """Staff mark an attachment sensitive (an ID card sent without saying so).

    Marking only narrows who sees the file (workflow.privacy.sensitive), so whoever
    may open it may mark it; the step is in the petition's history. Unmarking is
    not offered.
    """
    petition = lock_petition(petition_id, None, actor=actor)
    if not may_mark_sensitive(actor, petition):
        raise NotPermitted(
            "Only staff who work this petition may mark its files.",
            text=_("Chỉ cán bộ xử lý phản ánh này mới đánh dấu được tệp."),
        )
    attachment = Attachment.objects.filter(pk=attachment_id, petition=petition).first()
    if attachment is None:
        raise InvalidInput(
            f"No attachment {attachment_id} on petition {petition.tracking_code}.",
            field="attachment",
        )
    if attachment.is_sensitive:
        return petition
    attachment.is_sensitive = True
    attachment.save(update_fields=["is_sensitive"])
    insert_entries(
        [
            next_values(
                petition,
                actor=actor,
                action=Action.MARK_SENSITIVE,
                from_state=petition.state,
                at=timezone.now(),
                data={"attachment": attachment.pk},
                due_at=petition.due_at,
            )
        ]
    )
    petition.version += 1
    petition.save(update_fields=["version", "history_head", "history_length"])
    return petition


def erase_submitter_files(petition) -> None:
    """The retention's part for feedback (workflow.privacy.retention): the files
    and their rows go, the rating keeps its score and loses its comment."""
    files = list(
        Attachment.objects.filter(petition=petition).values_list("file", flat=True)
    )
    Attachment.objects.filter(petition=petition).delete()

    # Files go once the rows are gone for good: a rollback keeps both.
    def delete_files() -> None:
        for name in files:
            default_storage.delete(name)

    transaction.on_commit(delete_files)
    Rating.objects.filter(petition=petition).update(comment="")


def ratings_section(petition_ids) -> list[dict]:
    """The submitter's ratings of the answers, in their export."""
    return [
        {
            "petition": r.petition.tracking_code,
            "score": r.score,
            "comment": r.comment,
            "rated_at": timezone.localtime(r.rated_at).isoformat(),
        }
        for r in Rating.objects.filter(petition_id__in=petition_ids)
        .select_related("petition")
        .order_by("petition_id")
    ]


def attachments_section(petition_ids) -> list[dict]:
    """The attachments in a data subject's export (workflow.privacy.export):
    described; the files themselves are on the tracking page."""
    return [
        {
            "petition": a.petition.tracking_code,
            "name": a.original_name,
            "content_type": a.content_type,
            "size": a.size,
            "uploaded_at": timezone.localtime(a.uploaded_at).isoformat(),
            "sensitive": a.is_sensitive,
        }
        for a in Attachment.objects.filter(petition_id__in=petition_ids)
        .select_related("petition")
        .order_by("petition_id", "uploaded_at", "pk")
    ]
