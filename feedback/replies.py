"""The agency's official reply document: the signed or scanned letter, as a PDF.

Many agencies answer with a letter signed on paper (or signed digitally in their
own document system) and want the submitter to hold that very document, not only
the text typed into the answer box. Staff attach it while answering, while the
answer waits for approval, or after it went out; the submitter downloads it from
the tracking page once the answer is out. It is stored as an attachment of the
petition (feedback.models.Attachment, stage "reply"), sniffed as every upload is
(feedback.files: only a real PDF), served by the same download views, never
published, and named in the history by its SHA-256 so that the checkpoints seal
which document was issued. A letter the system renders and signs itself is
workflow.services.signed_answers; this is the agency's own.
"""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.files import PDF
from feedback.models import Attachment
from feedback.services import Upload, store_attachments
from workflow import permissions
from workflow.errors import InvalidInput
from workflow.models import Action, State
from workflow.services.steps import finish_step, lock_petition


@transaction.atomic
def attach_reply_document(
    *, petition_id, actor, upload: Upload, expected_version=None
) -> Attachment:
    """Attach the agency's official reply (a PDF) to the petition's answer.

    The history entry carries the attachment's id, size and SHA-256; the file's
    name stays out of it (it may name the submitter, and history data is never
    erased).
    """
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.ATTACH_REPLY)
    if upload.kind != PDF:
        raise InvalidInput(
            "The official reply document must be a PDF file.",
            field="document",
            text=_("Văn bản trả lời chính thức phải là tệp PDF."),
        )
    digest = _sha256(upload.file)
    now = timezone.now()
    [document] = store_attachments(
        petition, [upload], stage=Attachment.Stage.REPLY, now=now, sha256=digest
    )
    finish_step(
        petition,
        actor=actor,
        action=Action.ATTACH_REPLY,
        now=now,
        data={"attachment": document.pk, "bytes": document.size, "sha256": digest},
    )
    return document


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def reply_documents(petition) -> list[Attachment]:
    """The petition's official reply documents, newest first (staff see them all)."""
    return list(
        Attachment.objects.filter(
            petition=petition, stage=Attachment.Stage.REPLY
        ).order_by("-uploaded_at", "-pk")
    )


def shown_to_submitter(petition, document) -> bool:
    """A reply document reaches the submitter with the answer it goes with: while
    an answer is out, or when it was attached before the latest answer went out
    (a reopened petition's next document waits for its answer)."""
    if petition.state in (State.ANSWERED, State.CLOSED):
        return True
    return petition.answered_at is not None and document.uploaded_at <= (
        petition.answered_at
    )


def submitter_reply_documents(petition) -> list[Attachment]:
    return [d for d in reply_documents(petition) if shown_to_submitter(petition, d)]
