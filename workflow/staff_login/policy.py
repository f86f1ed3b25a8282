"""Who must sign in with a second factor, and which step a session still owes."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflow.models import Membership, Role

# Roles that decide for a whole agency, or see across all of them (the data
# officer reads any data subject's data).
TWO_FACTOR_ROLES = (Role.SUPERVISOR, Role.COORDINATOR, Role.AUDITOR, Role.DPO)

VERIFY = "verify"
ENROL = "enrol"


@dataclass(frozen=True)
class SecondFactor:
    has_device: bool  # a confirmed app or recovery codes
    is_required: bool  # admins (any admin-site login) and TWO_FACTOR_ROLES


def second_factor(user_id) -> SecondFactor | None:
    """What the login has and needs, in one query (every page asks)."""
    facts = (
        get_user_model()
        .objects.filter(pk=user_id)
        .annotate(
            has_totp=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            has_codes=Exists(
                StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            holds_role=Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"), role__in=TWO_FACTOR_ROLES
                )
            ),
        )
        .values("has_totp", "has_codes", "holds_role", "is_staff", "is_superuser")
        .first()
    )
    if facts is None:
        return None
    return SecondFactor(
        has_device=facts["has_totp"] or facts["has_codes"],
        is_required=facts["holds_role"] or facts["is_staff"] or facts["is_superuser"],
    )


def missing_step(user) -> str | None:
    """The step this signed-in user still owes in this session, or None.

    A login with a confirmed device verifies with it (a handler who chose to enrol
    too); one that must use a second factor and has none enrols first.
    """
    if not user.is_authenticated or user.is_verified():
        return None
    facts = second_factor(user.pk)
    if facts is None:
        return None
    if facts.has_device:
        return VERIFY
    return ENROL if facts.is_required else None
