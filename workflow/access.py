"""Who may do what: the actor of a service call and the roles it holds for an agency."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import Http404

from workflow.models import Membership, Petition, Role, staff_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class Actor:
    """The person or process behind a service call.

    Staff actors carry their memberships, read once; the submitter is identified
    by tracking code and secret before a service is called; the system is the sweep,
    the intake channels and the routing rules.
    """

    user: "User | None" = None
    kind: str = "staff"  # staff | submitter | system
    memberships: tuple[tuple[str, int | None], ...] = field(default=())

    @classmethod
    def staff(cls, user) -> "Actor":
        rows = Membership.objects.filter(user=user).values_list("role", "agency_id")
        return cls(user=user, kind="staff", memberships=tuple(rows))

    @classmethod
    def submitter(cls) -> "Actor":
        return cls(kind="submitter")

    @classmethod
    def system(cls) -> "Actor":
        return cls(kind="system")

    @property
    def is_submitter(self) -> bool:
        return self.kind == "submitter"

    @property
    def is_system(self) -> bool:
        return self.kind == "system"

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.is_superuser

    @property
    def label(self) -> str:
        if self.kind != "staff" or self.user is None:
            return self.kind
        name = staff_name(self.user)
        roles = ", ".join(sorted({role for role, _ in self.memberships})) or "admin"
        return f"{name} ({roles})"

    def has_global_role(self, role: Role) -> bool:
        return (role, None) in self.memberships

    def visible_agency_ids(self) -> list[int] | None:
        """Agencies whose petitions this actor may see; None means all of them."""
        from workflow.permissions import StaffRoles

        visible = StaffRoles.of(self).visible
        return None if visible is None else sorted(visible)


# --- web pages: who is asking, and what they may open ------------------------------


def staff_actor(request) -> Actor:
    """The logged-in staff member behind a request (read once per request).

    A login that holds no role (and is not an admin) sees no staff page: 404, so
    that the page's existence tells nothing.
    """
    actor = getattr(request, "_pakn_actor", None)
    if actor is None:
        if not request.user.is_authenticated:
            raise Http404
        actor = Actor.staff(request.user)
        request._pakn_actor = actor
    if not (actor.is_admin or actor.memberships):
        raise Http404
    return actor


def visible_petitions(actor, petitions=None):
    """The petitions `actor` may see: their agencies' (and, for supervisors, those
    below); everything for admins and the global roles (coordinator, auditor).
    Staff who entered a petition at a reception desk see its receipt, not its case
    (may_see_receipt).

    The one rule behind every page, list and service refusal: what lies outside is
    treated as if it did not exist.
    """
    petitions = Petition.objects.all() if petitions is None else petitions
    visible = actor.visible_agency_ids()
    if visible is None:
        return petitions
    return petitions.filter(agency_id__in=visible)


def may_see(actor, petition) -> bool:
    """Whether `actor` may see this petition (the row rule of visible_petitions).

    The submitter proved the tracking code and secret before any service call, and
    the system (sweep, intake, routing) sees everything.
    """
    if actor.is_submitter or actor.is_system:
        return True
    visible = actor.visible_agency_ids()
    return visible is None or petition.agency_id in visible


def may_see_receipt(actor, petition) -> bool:
    """Whether `actor` may see the petition's receipt (print it, send it again):
    whoever may see the petition, and the staff member who entered it at a desk
    (reception staff see no agency's cases)."""
    return may_see(actor, petition) or (
        actor.user is not None and petition.entered_by_id == actor.user.pk
    )


def get_petition_for_staff(request, tracking_code):
    """The petition if the requesting staff member may see it, else 404 (never 403).

    A handler of agency A asking for agency B's petition learns nothing, not even
    that the code exists.
    """
    actor = staff_actor(request)
    petitions = Petition.objects.select_related(
        "agency", "category", "province", "commune", "handler", "merged_into"
    )
    petition = (
        visible_petitions(actor, petitions)
        .filter(tracking_code=tracking_code.upper())
        .first()
    )
    if petition is None:
        raise Http404
    return petition


def get_petition_for_receipt(request, tracking_code):
    """The petition whose receipt the requesting staff member may print: one they
    may see, or one they entered themselves (reception staff see no agency's
    cases). Anyone else gets 404."""
    actor = staff_actor(request)
    petitions = Petition.objects.select_related("agency", "entered_by")
    petition = petitions.filter(tracking_code=tracking_code.upper()).first()
    if petition is None:
        raise Http404
    if may_see_receipt(actor, petition):
        return petition
    raise Http404


def require_auditor(request) -> Actor:
    """Auditors and admins read the reports; everyone else gets 404."""
    actor = staff_actor(request)
    if not (actor.is_admin or actor.has_global_role(Role.AUDITOR)):
        raise Http404
    return actor


def require_supervisor(request) -> Actor:
    """The supervisor dashboard: supervisors of an agency and admins, else 404."""
    actor = staff_actor(request)
    if not (actor.is_admin or any(r == Role.SUPERVISOR for r, _ in actor.memberships)):
        raise Http404
    return actor
