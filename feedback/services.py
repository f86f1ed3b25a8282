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

from feedback.files import FileKind
from feedback.models import Attachment, Rating
from feedback.ratelimit import hit
from workflow import services as workflow
from workflow.access import Actor
from workflow.errors import InvalidInput
from workflow.models import Petition


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
    form_token: str | None = None,
    attachments: tuple[Upload, ...] = (),
) -> workflow.Submission:
    """Receive a petition from the web form, with its attachments, within the limits.

    Counts the submission against the client's IP and each contact given (settings
    FEEDBACK_SUBMIT_*); over a limit, RateLimited is raised and nothing is saved (the
    refused attempt is not counted either, as its transaction rolls back).
    `form_token` is the form's one-time id: a resent form (reload, double click)
    raises workflow's DuplicateSubmission instead of filing the petition twice.
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
        channel_ref=form_token,
    )
    _store_attachments(
        submission.petition, attachments, stage=Attachment.Stage.SUBMISSION, now=now
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
    **fields,
) -> workflow.Submission:
    """Staff enter a petition that came to the counter, by phone, letter, e-mail or
    fax, with scans or photos of the letter (workflow.receive_petition's rules).

    `form_token` makes a resent form a DuplicateSubmission, as on the web form.
    """
    submission = workflow.receive_petition(
        actor=actor,
        channel=channel,
        received_at=received_at,
        receipt_source=receipt_source,
        channel_ref=form_token,
        **fields,
    )
    _store_attachments(
        submission.petition,
        attachments,
        stage=Attachment.Stage.SUBMISSION,
        now=timezone.now(),
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
    *, petition_id, text: str, attachments: tuple[Upload, ...] = (), expected_version
):
    """The submitter answers the handler's question, possibly with more files."""
    petition = workflow.provide_information(
        petition_id=petition_id,
        actor=Actor.submitter(),
        text=text,
        expected_version=expected_version,
    )
    _store_attachments(
        petition,
        attachments,
        stage=Attachment.Stage.INFORMATION,
        now=timezone.now(),
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
        raise InvalidInput("This petition was already rated.", field="score")
    return Rating.objects.create(
        petition=petition,
        score=score,
        comment=(comment or "").strip(),
        rated_at=timezone.now(),
    )


def _store_attachments(petition, uploads, *, stage, now):
    """Write the files and their rows; on any failure remove the files written."""
    written = []
    try:
        for upload in uploads:
            attachment = Attachment(
                petition=petition,
                original_name=os.path.basename(upload.file.name or "")[:255],
                content_type=upload.kind.content_type,
                size=upload.file.size,
                stage=stage,
                uploaded_at=now,
            )
            # The stored name is ours: the sender's name may be anything, and the
            # extension follows the detected kind, not the claimed one.
            upload.file.seek(0)
            attachment.file.save(
                f"{uuid.uuid4().hex}{upload.kind.extension}", upload.file, save=False
            )
            written.append(attachment.file.name)
            attachment.save(force_insert=True)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


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
