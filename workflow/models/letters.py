"""Answers that go out on paper: one official letter per answer cycle, and its posting.

The letter's content is frozen when the answer goes out (workflow.letters), so that
every print and every PDF of it says the same; its number is unique per agency and
year (numbering restarts on 1 January, Decree 30/2020/NĐ-CP art. 15).
"""

from django.conf import settings
from django.db import models

from workflow.models.agencies import Agency
from workflow.models.petitions import Petition


class AnswerLetter(models.Model):
    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="letters"
    )
    # The answer cycle it answers: a reopened petition gets a new letter.
    cycle = models.PositiveSmallIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    reference = models.CharField(max_length=60)
    issued_at = models.DateTimeField()
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="letters_signed",
    )
    signer_name = models.CharField(max_length=200)
    signer_title = models.CharField(max_length=200)
    recipient_name = models.CharField(max_length=200)
    recipient_address = models.CharField(max_length=500)
    answer = models.TextField()
    # Set once by workflow.letters.record_posting (and written to the history).
    posted_on = models.DateField(null=True, blank=True)
    postal_tracking_number = models.CharField(max_length=40, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters_posted",
    )

    class Meta:
        ordering = ["petition_id", "cycle"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="one_letter_per_number"
            ),
            models.UniqueConstraint(
                fields=["petition", "cycle"], name="one_letter_per_answer_cycle"
            ),
        ]
        indexes = [
            # workflow.letters.letters_to_post: an agency's letters not yet posted.
            models.Index(
                fields=["agency", "issued_at"],
                condition=models.Q(posted_on__isnull=True),
                name="letter_to_post_idx",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.petition_id})"


class SignedAnswer(models.Model):
    """An answer letter issued as a PDF signed with the agency's certificate (PAdES,
    workflow.signing); the submitter downloads it from the tracking page."""

    letter = models.OneToOneField(
        AnswerLetter, on_delete=models.PROTECT, related_name="signed"
    )
    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="signed_answers"
    )
    pdf = models.BinaryField()
    # SHA-256 of the PDF, also written to the history (and so to the checkpoints).
    sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(max_length=200)
    signer_title = models.CharField(max_length=200)
    certificate_subject = models.CharField(max_length=500)
    certificate_serial = models.CharField(max_length=64)
    certificate_not_after = models.DateTimeField()

    class Meta:
        ordering = ["petition_id", "-signed_at"]

    def __str__(self):
        return f"{self.letter.reference} signed by {self.signer_name}"
