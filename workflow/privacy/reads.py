"""Who looked: a staff member's read of a petition's personal data, one row each.

Pages that show a submitter's contact details (the staff case page, the admin's
petition page), attachment downloads and the data officer's view of a subject's
data each write one row: who, which petition, when, what. List pages show no
contact data and write nothing.
"""

from django.utils import timezone

from workflow.privacy.models import PersonalDataRead

What = PersonalDataRead.What


def record_read(*, user, petition, what, attachment_id=None) -> None:
    """One INSERT; the page goes on whatever it costs nobody else."""
    PersonalDataRead.objects.create(
        at=timezone.now(),
        user=user,
        # By id: on the report pages the petition was read from the replica.
        petition_id=petition.pk,
        what=what,
        attachment_id=attachment_id,
    )


def reads_of(petition_ids):
    """The reads of these petitions, oldest first, with the reader."""
    return (
        PersonalDataRead.objects.filter(petition_id__in=petition_ids)
        .select_related("user", "petition")
        .order_by("at", "pk")
    )
