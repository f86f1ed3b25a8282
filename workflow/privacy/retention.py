"""Retention: the personal data of an ended petition is anonymised after its period.

Law 91/2025/QH15 keeps personal data no longer than its purpose needs. The period
is the admin's, per category (RetentionPolicy: days after the petition ended);
an erasure request granted while the petition was handled (PendingErasure) is
carried out as soon as it ends. What stays is the structured record the figures
and the history are made of: states, times, agencies, deadlines, breaches,
actors; the history chains still verify (workflow.history.erase_texts).

What goes: the submitter's name, contact, postal address and tax code (also on
the paper answers' letters); the text, place and map point of an
unpublished petition and its answer (a published one keeps them: its submitter
consented to their publication, which the answers page masks); every free text
of the history; the attachments, files included; the rating's comment; the
addresses and texts of its messages; the link to a citizen identity; the texts
of the data requests about it.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.services import erase_personal_data
from workflow.access import Actor
from workflow.history import ChainBroken, erase_texts
from workflow.intake_rules import DISPUTE_WINDOW_DAYS
from workflow.models import Petition, State
from workflow.models.followers import Follower
from workflow.models.letters import AnswerLetter
from workflow.privacy.models import (
    DataRequest,
    PendingErasure,
    PetitionOwner,
    RetentionPolicy,
)
from workflow.redaction import hide_phrases
from workflow.services.steps import lock_petition_for_data_duty

logger = logging.getLogger(__name__)

# States in which a petition has ended for good.
ENDED_STATES = (State.CLOSED, State.REJECTED, State.WITHDRAWN, State.MERGED)
# What the text of an anonymised, unpublished petition reads (language of record).
ANONYMISED_TEXT = "[đã ẩn danh]"
BATCH_SIZE = 200


def ended_before(moment, *, now) -> Q:
    """Petitions that ended before `moment`.

    An answered petition nobody closed has ended once its dispute window is over
    (workflow.intake_rules.DISPUTE_WINDOW_DAYS): it can no longer be reopened.
    """
    answered_before = min(moment, now - timedelta(days=DISPUTE_WINDOW_DAYS))
    return Q(state__in=ENDED_STATES, closed_at__lt=moment) | Q(
        state=State.ANSWERED, answered_at__lt=answered_before
    )


def has_ended(petition, *, now) -> bool:
    """Whether a petition has ended for good (see ended_before)."""
    if petition.state in ENDED_STATES:
        return True
    return (
        petition.state == State.ANSWERED
        and petition.answered_at is not None
        and petition.answered_at < now - timedelta(days=DISPUTE_WINDOW_DAYS)
    )


def due_for_anonymisation(*, now):
    """Petitions whose personal data is kept past their category's period, or
    whose erasure was granted and which have now ended (unevaluated)."""
    keep = dict(RetentionPolicy.objects.values_list("category_id", "keep_days"))
    default = keep.pop(None, None)
    due = Q(pending_erasure__isnull=False) & ended_before(now, now=now)
    for category_id, days in keep.items():
        due |= Q(category_id=category_id) & ended_before(
            now - timedelta(days=days), now=now
        )
    if default is not None:
        due |= ~Q(category_id__in=list(keep)) & ended_before(
            now - timedelta(days=default), now=now
        )
    return Petition.objects.filter(due, anonymised_at__isnull=True)


def apply_retention(*, now, limit=BATCH_SIZE) -> int:
    """Anonymise every petition due (each in its own transaction); how many.

    Loops until none is left, so a backlog (a first run on an old database) is
    cleared in one run, `limit` petitions per look-up.
    """
    done, skipped = 0, set[int]()
    while ids := list(
        due_for_anonymisation(now=now)
        .exclude(pk__in=skipped)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    ):
        for petition_id in ids:
            try:
                done += anonymise_petition(
                    petition_id=petition_id, actor=Actor.system(), rule="retention"
                )
            except ChainBroken as error:
                # Left as it is for the auditors (verify_audit names it); the
                # others go on.
                logger.error("Not anonymised, its history is broken: %s", error)
                skipped.add(petition_id)
    return done


@transaction.atomic
def anonymise_petition(*, petition_id, actor, rule, request=None) -> bool:
    """Erase one petition's personal data (see the module); False if already done.

    `rule` names why ("retention", or "request" with the data request); the
    history records it in the erasure entry.
    """
    petition = lock_petition_for_data_duty(petition_id)
    if petition.anonymised_at is not None:
        return False
    now = timezone.now()
    if petition.publish_consent:
        # The public pages find the name and the supervisor's phrases to mask
        # them; erased, they could no longer be found: hidden in the texts first.
        hidden = [petition.submitter_name, *petition.public_redactions]
        for name in ("title", "content", "answer"):
            setattr(petition, name, hide_phrases(getattr(petition, name), hidden))
        petition.public_redactions = []
    petition.submitter_name = ""
    petition.email = petition.phone = petition.tax_code = ""
    petition.postal_address = ""
    if not petition.publish_consent:
        petition.title = petition.content = ANONYMISED_TEXT
        petition.answer = ""
        # Where the problem is may be where the submitter lives.
        petition.place = ""
        petition.latitude = petition.longitude = None
    petition.rejection_reason = petition.redirect_hint = ""
    petition.anonymised_at = now
    data = {"rule": rule}
    if request is not None:
        data["request"] = request.code
    erase_texts(petition, actor=actor, at=now, data=data)
    petition.version += 1
    petition.save(
        update_fields=[*ERASED_FIELDS, "version", "history_head", "history_length"]
    )
    _erase_around(petition)
    return True


ERASED_FIELDS = [
    "submitter_name",
    "email",
    "phone",
    "tax_code",
    "postal_address",
    "title",
    "content",
    "answer",
    "place",
    "latitude",
    "longitude",
    "rejection_reason",
    "redirect_hint",
    "anonymised_at",
    "public_redactions",
]


# What the apps built on workflow keep about a submitter (feedback: attachments and
# their files, the rating's comment) is erased by them: each registers a function
# of the petition at start-up (feedback.apps), as workflow cannot know their models.
_erasers: list = []


def register_eraser(erase) -> None:
    """Have `erase(petition)` run, in the transaction, for each petition anonymised."""
    if erase not in _erasers:
        _erasers.append(erase)


def _erase_around(petition) -> None:
    """What other tables hold about the petition's submitter."""
    for erase in _erasers:
        erase(petition)
    # Letters keep their number, date and signer; not whom they went to.
    AnswerLetter.objects.filter(petition=petition).update(
        recipient_name="",
        recipient_address="",
        **({} if petition.publish_consent else {"answer": ""}),
    )
    erase_personal_data([petition.pk])
    PetitionOwner.objects.filter(petition=petition).delete()
    # Followers left a contact to hear of this petition's answer: with the
    # petition erased, nothing is left to tell them, and their contacts go too.
    Follower.objects.filter(petition=petition).delete()
    PendingErasure.objects.filter(petition=petition).delete()
    DataRequest.objects.filter(petitions=petition).update(details="", corrections={})
