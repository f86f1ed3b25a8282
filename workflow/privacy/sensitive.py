"""Sensitive attachments: an ID-card image and the like (Decree 356/2025/NĐ-CP).

A file marked sensitive (by its submitter at upload, or by staff) is shown only
to the staff of the agency handling the petition: its handlers and supervisors,
by a membership at that very agency. Coordinators, auditors, supervisors of a
parent agency, data officers and admins see that it exists, not what it is:
none of them needs the image to do their part, and every extra reader is a
risk the law asks to avoid. Sensitive files are never published (no published
page serves attachments at all) and go with the retention (retention.py). The
attachments are feedback's; marking one is feedback.services.mark_attachment_sensitive.
"""

from workflow.models.agencies import AGENCY_ROLES
from workflow.permissions import StaffRoles


def may_see_sensitive(actor, petition) -> bool:
    """Whether `actor` works for the agency now handling `petition`."""
    if petition.agency_id is None:
        return False
    return any(
        role in AGENCY_ROLES and agency_id == petition.agency_id
        for role, agency_id in actor.memberships
    )


def may_mark_sensitive(actor, petition) -> bool:
    """Whether `actor` may mark one of the petition's files sensitive. Marking only
    narrows who sees it, yet it is a write: those who work the petition may (its
    agency's handlers, supervisors above it, coordinators, who route every
    petition, admins); auditors and data officers change nothing."""
    roles = StaffRoles.of(actor)
    if roles.is_admin or roles.is_coordinator:
        return True
    return petition.agency_id is not None and petition.agency_id in roles.handling


def visible_attachments(attachments, *, actor, petition) -> list:
    """The attachments `actor` may open, the sensitive ones only for the agency."""
    if may_see_sensitive(actor, petition):
        return list(attachments)
    return [a for a in attachments if not getattr(a, "is_sensitive", False)]
