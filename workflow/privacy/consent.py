"""Consent: which notice a submitter agreed to, recorded at intake; withdrawal.

Decree 356/2025/NĐ-CP art. 6: consent is given by a clear act, never by default or
by silence, for each purpose apart; the controller keeps proof of it. Processing
for handling the petition and publication of the petition and its answer are two
purposes, each with its own versioned notice (ConsentNotice).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from config.bulk import insert_rows, new_row
from workflow.errors import NotAllowedNow
from workflow.history import insert_entries, next_values
from workflow.models import Action, Channel
from workflow.privacy.models import Consent, ConsentNotice, Purpose


@dataclass(frozen=True)
class IntakeConsent:
    """The consent a petition arrives with, as its door carries it."""

    basis: str
    processing_notice_id: int | None = None
    publication_notice_id: int | None = None
    # The portal's (or client's) own reference to the notice it showed.
    reference: str = ""


# What a door carries when its caller says nothing more: the portal and Open311
# clients ask for consent in their own flow; staff record what the person said.
DOOR_BASIS = {
    Channel.WEB: Consent.Basis.FORM,
    Channel.PORTAL: Consent.Basis.PORTAL,
    Channel.OPEN311: Consent.Basis.OPEN311,
}


def current_notices(now=None) -> dict[str, ConsentNotice]:
    """The notice in force for each purpose: the newest version already published."""
    now = now or timezone.now()
    notices: dict[str, ConsentNotice] = {}
    for notice in ConsentNotice.objects.filter(published_at__lte=now).order_by(
        "purpose", "-version"
    ):
        notices.setdefault(notice.purpose, notice)
    return notices


def record_at_intake(receipts, *, now) -> None:
    """Write the consent rows of petitions just received (one INSERT for all).

    `receipts` pairs each petition with the IntakeConsent it came with, or None
    for the door's default. Publication is recorded only when given.
    """
    rows = []
    for petition, given in receipts:
        given = given or IntakeConsent(
            basis=DOOR_BASIS.get(petition.channel, Consent.Basis.STAFF)
        )
        common = {
            "petition_id": petition.pk,
            "basis": given.basis,
            "reference": given.reference[:200],
            "given_at": now,
        }
        rows.append(
            new_row(
                Consent,
                purpose=Purpose.PROCESSING,
                notice_id=given.processing_notice_id,
                **common,
            )
        )
        if petition.publish_consent:
            rows.append(
                new_row(
                    Consent,
                    purpose=Purpose.PUBLICATION,
                    notice_id=given.publication_notice_id,
                    **common,
                )
            )
    insert_rows(Consent, rows)


@transaction.atomic
def withdraw_publication(*, petition_id, actor):
    """The submitter withdraws consent to publication: the petition is unpublished.

    Law 91/2025/QH15 art. 9: consent may be withdrawn at any time. The published
    answers page and the Open311 lists show only petitions whose publication
    consent stands, so they stop showing it at once. The withdrawal is a step of
    the petition's history. The submitter withdraws it; a data officer does when
    granting an erasure of a petition still handled.
    """
    from workflow.privacy.officers import require_dpo
    from workflow.services.steps import lock_petition_for_data_duty

    if not actor.is_submitter:
        require_dpo(actor)
    petition = lock_petition_for_data_duty(petition_id)
    if not petition.publish_consent:
        raise NotAllowedNow(
            f"Petition {petition.tracking_code} is not published with consent."
        )
    now = timezone.now()
    Consent.objects.filter(
        petition=petition, purpose=Purpose.PUBLICATION, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    petition.publish_consent = False
    insert_entries(
        [
            next_values(
                petition,
                actor=actor,
                action=Action.WITHDRAW_PUBLICATION,
                from_state=petition.state,
                at=now,
                due_at=petition.due_at,
            )
        ]
    )
    petition.version += 1
    petition.save(
        update_fields=["publish_consent", "version", "history_head", "history_length"]
    )
    return petition
