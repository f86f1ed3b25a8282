"""Who may do what: the actor of a service call and the roles it holds for an agency."""

from dataclasses import dataclass, field

from workflow.models import Membership, Role


@dataclass(frozen=True)
class Actor:
    """The person or process behind a service call.

    Staff actors carry their memberships, read once; the submitter is identified
    by tracking code and secret before a service is called; the system is the sweep,
    the intake channels and the routing rules.
    """

    user: object = None
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
        if self.kind != "staff":
            return self.kind
        name = self.user.get_full_name() or self.user.get_username()
        roles = ", ".join(sorted({role for role, _ in self.memberships})) or "admin"
        return f"{name} ({roles})"

    def has_global_role(self, role: Role) -> bool:
        return (role, None) in self.memberships

    def agency_roles(self, agency) -> set[str]:
        """Roles held for `agency`: direct ones, and supervisor from an ancestor."""
        if agency is None:
            return set()
        roles = {role for role, agency_id in self.memberships if agency_id == agency.pk}
        supervised = {a for role, a in self.memberships if role == Role.SUPERVISOR}
        if supervised and Role.SUPERVISOR not in roles:
            if supervised.intersection(agency.ancestor_ids()):
                roles.add(Role.SUPERVISOR)
        return roles

    def visible_agency_ids(self) -> list[int] | None:
        """Agencies whose petitions this actor may see; None means all of them."""
        if self.is_admin or any(agency is None for _, agency in self.memberships):
            return None
        from workflow.models.agencies import _subtree_ids

        ids: set[int] = set()
        for role, agency_id in self.memberships:
            if role == Role.SUPERVISOR:
                ids.update(_subtree_ids(agency_id))
            else:
                ids.add(agency_id)
        return sorted(ids)
