"""Moderation before publication: a supervisor publishes a consented answer, or not.

A submitter's consent to publication (workflow.privacy.consent) lets the agency
publish; it does not publish by itself. The automatic masking of personal data
(feedback.masking) misses what no pattern knows — a neighbour's name, a shop,
a plot number — so a supervisor of the agency reads the text as the public would
and hides more before it goes on /answers/ and Open311's lists, or declines to
publish it, giving the reason. Attachments are never published. Withdrawn consent
unpublishes whatever was decided (the public lists require consent as well).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow import permissions, redaction
from workflow.errors import InvalidInput, NotAllowedNow
from workflow.models import Action, Publication
from workflow.services.steps import finish_step, lock_petition, required_text

# Each phrase is hidden wherever it occurs, ignoring case (feedback.masking hides
# names the same way); shorter ones would hide parts of ordinary words.
MIN_REDACTION_LENGTH = redaction.MIN_LENGTH
MAX_REDACTION_LENGTH = 200
MAX_REDACTIONS = 50


@transaction.atomic
def publish_answer(*, petition_id, actor, redactions=(), expected_version=None):
    """Publish the petition and its answer, masked, with `redactions` hidden too.

    The history records the decision and how many phrases were hidden, not the
    phrases themselves: they are the personal data being hidden.
    """
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.PUBLISH_ANSWER)
    _require_publishable(petition, Publication.PUBLISHED)
    phrases = clean_redactions(redactions)
    petition.publication = Publication.PUBLISHED
    petition.public_redactions = phrases
    finish_step(
        petition,
        actor=actor,
        action=Action.PUBLISH_ANSWER,
        now=timezone.now(),
        data={"redactions": len(phrases)},
        extra_fields=["public_redactions"],
    )
    return petition


@transaction.atomic
def decline_publication(*, petition_id, actor, reason, expected_version=None):
    """Keep the answer off the public pages, for the reason given (the submitter
    reads it on the tracking page). A published answer is taken down the same way."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.DECLINE_PUBLICATION)
    _require_publishable(petition, Publication.DECLINED)
    reason = required_text(reason)
    petition.publication = Publication.DECLINED
    finish_step(
        petition,
        actor=actor,
        action=Action.DECLINE_PUBLICATION,
        now=timezone.now(),
        reason=reason,
    )
    return petition


def is_publication_decidable(petition, decision: Publication) -> bool:
    """Whether `decision` may be taken on the petition now: an answer is out and
    its submitter consents. Publishing again changes the phrases hidden; a
    decline stands until the answer is published."""
    return (
        petition.publish_consent
        and petition.answered_at is not None
        and bool(petition.answer)
        and not (decision == Publication.DECLINED == petition.publication)
    )


def _require_publishable(petition, decision: Publication) -> None:
    if not petition.publish_consent:
        raise NotAllowedNow(
            f"The submitter of {petition.tracking_code} has not consented to "
            "publication.",
            text=_("Người gửi phản ánh %(code)s không đồng ý công khai."),
            params={"code": petition.tracking_code},
        )
    if decision == Publication.DECLINED == petition.publication:
        raise NotAllowedNow(
            f"The answer of {petition.tracking_code} is already "
            f"{Publication(decision).label}.",
            text=_("Trả lời của phản ánh %(code)s đã ở trạng thái «%(decision)s»."),
            params={
                "code": petition.tracking_code,
                "decision": Publication(decision).label,
            },
        )
    if not is_publication_decidable(petition, decision):
        raise NotAllowedNow(
            f"Petition {petition.tracking_code} has no answer to publish.",
            text=_("Phản ánh %(code)s chưa có trả lời để công khai."),
            params={"code": petition.tracking_code},
        )


def clean_redactions(redactions) -> list[str]:
    """The phrases to hide, trimmed and without repeats, in the order given."""
    phrases: list[str] = []
    for raw in redactions:
        phrase = " ".join(str(raw).split())
        if not phrase or phrase.casefold() in (p.casefold() for p in phrases):
            continue
        if "\x00" in phrase or not (
            MIN_REDACTION_LENGTH <= len(phrase) <= MAX_REDACTION_LENGTH
        ):
            raise InvalidInput(
                f"Each phrase to hide has {MIN_REDACTION_LENGTH} to "
                f"{MAX_REDACTION_LENGTH} characters: {phrase[:40]!r}.",
                field="redactions",
                text=_(
                    "Mỗi cụm từ cần che có từ %(min)s đến %(max)s ký tự: «%(phrase)s»."
                ),
                params={
                    "min": MIN_REDACTION_LENGTH,
                    "max": MAX_REDACTION_LENGTH,
                    "phrase": phrase[:40],
                },
            )
        phrases.append(phrase)
    if len(phrases) > MAX_REDACTIONS:
        raise InvalidInput(
            f"At most {MAX_REDACTIONS} phrases can be hidden.",
            field="redactions",
            text=_("Che được tối đa %(count)s cụm từ."),
            params={"count": MAX_REDACTIONS},
        )
    return phrases
