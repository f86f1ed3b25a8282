"""The data-protection officers: who may handle data requests, who hears of them."""

from workflow.errors import NotPermitted
from workflow.models import Membership, Role


def is_dpo(actor) -> bool:
    return actor.is_admin or actor.has_global_role(Role.DPO)


def require_dpo(actor) -> None:
    if not is_dpo(actor):
        raise NotPermitted("Only a data-protection officer may do this.")


def data_officers() -> list[tuple[int, str]]:
    """(user id, e-mail) of the data-protection officers who can be e-mailed."""
    return list(
        Membership.objects.filter(role=Role.DPO, user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", "user__email")
        .distinct()
    )
