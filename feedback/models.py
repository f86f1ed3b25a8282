from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Petition


class RateLimitCounter(models.Model):
    """Requests counted per key and fixed time window (see feedback.ratelimit).

    Kept in PostgreSQL so that every web worker on every machine shares one count.
    """

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # feedback.ratelimit.hit() upserts on this pair.
            models.UniqueConstraint(
                fields=["key", "window_start"], name="one_count_per_window"
            ),
        ]
        indexes = [
            # feedback.ratelimit.forget_old_windows() deletes by age.
            models.Index(fields=["window_start"], name="ratelimit_window_idx"),
        ]

    def __str__(self):
        return f"{self.key} @ {self.window_start}: {self.count}"


def attachment_path(attachment, filename):
    # One folder per petition, so that a case's files can be found (and archived or
    # erased together) from its tracking code alone.
    return f"attachments/{attachment.petition.tracking_code}/{filename}"


class Attachment(models.Model):
    """A file the submitter sent with the petition or with later information.

    Stored under MEDIA_ROOT, which is never served directly: the files are personal
    data, handed out only by views that check who asks.
    """

    class Stage(models.TextChoices):
        SUBMISSION = "submission", _("Khi gửi phản ánh")
        INFORMATION = "information", _("Khi bổ sung thông tin")
        # The agency's official reply document (feedback.replies), a PDF.
        REPLY = "reply", _("Văn bản trả lời của cơ quan")

    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    # Detected from the file's first bytes (feedback.files), not the name or the
    # browser's claim.
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    stage = models.CharField(
        max_length=12, choices=Stage.choices, default=Stage.SUBMISSION
    )
    uploaded_at = models.DateTimeField()
    # An ID-card image and the like (sensitive under Decree 356/2025/NĐ-CP): shown
    # only to the handling agency's staff, never published (marked by the
    # submitter at upload or by staff; workflow.privacy.sensitive).
    is_sensitive = models.BooleanField(default=False)
    # SHA-256 of the file, for the agency's reply documents (also in the history).
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return f"{self.original_name} ({self.content_type}, {self.size} B)"


class Rating(models.Model):
    """The submitter's satisfaction with the answer: 1 to 5, once per petition.

    The same score is written to the petition's history by
    workflow.services.record_rating, in the same transaction.
    """

    petition = models.OneToOneField(
        Petition, on_delete=models.PROTECT, related_name="rating"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    rated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="rating_is_one_to_five",
            ),
        ]

    def __str__(self):
        return f"{self.petition_id}: {self.score}/5"


class SecretRecoveryCode(models.Model):
    """A one-time code sent to the contact on file of a submitter who lost the secret.

    Only its hash is kept. It opens nothing by itself: redeemed once, within its
    lifetime and a few tries (feedback.recovery), it issues a new secret.
    """

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # feedback.recovery reads a petition's newest code.
            models.Index(
                fields=["petition", "-created_at"], name="recovery_code_newest_idx"
            ),
        ]

    def __str__(self):
        return f"{self.petition_id} @ {self.created_at}"
