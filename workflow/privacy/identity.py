"""Citizens who log in with the national identity: a pseudonym and their petitions.

Decree 69/2024/NĐ-CP makes the VNeID account the identity for online public
services; the login itself is an OpenID Connect adapter (feedback.identity). What
is kept here is the least that lets a person find their petitions again: a keyed
hash of the provider's issuer and subject, and which petitions belong to it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from workflow.errors import InvalidInput
from workflow.privacy.models import CitizenIdentity, PetitionOwner


def subject_pseudonym(issuer: str, subject: str) -> str:
    """The stored name of an identity: HMAC-SHA256 of issuer and subject.

    The key (NATIONAL_ID_SUBJECT_KEY, by default derived from SECRET_KEY) is not in
    the database, so a copy of the database does not link a pseudonym to a person;
    changing the key makes every citizen a new identity.
    """
    key = settings.NATIONAL_ID_SUBJECT_KEY or settings.SECRET_KEY
    return salted_hmac(
        "pakn.national-identity", f"{issuer}\n{subject}", secret=key, algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def citizen_for_login(*, issuer: str, subject: str, now):
    """The user of this identity, made at its first login (not staff, no password)."""
    pseudonym = subject_pseudonym(issuer, subject)
    identity = (
        CitizenIdentity.objects.select_for_update()
        .select_related("user")
        .filter(subject=pseudonym)
        .first()
    )
    if identity is None:
        user = get_user_model().objects.create_user(
            username=f"citizen-{pseudonym[:24]}", password=None
        )
        identity = CitizenIdentity.objects.create(
            user=user, subject=pseudonym, created_at=now, last_login_at=now
        )
    else:
        identity.last_login_at = now
        identity.save(update_fields=["last_login_at"])
    return identity.user


def identity_of(user) -> CitizenIdentity | None:
    """The citizen identity of a logged-in user, or None (staff, anonymous)."""
    if user is None or not user.is_authenticated:
        return None
    return CitizenIdentity.objects.filter(user=user).first()


def own_petition(petition, *, identity, how, now) -> PetitionOwner:
    """Record that `petition` belongs to `identity` (filed under it, or attached).

    A petition belongs to one identity at most: attaching one that belongs to
    another is refused, without saying whose.
    """
    owner, created = PetitionOwner.objects.get_or_create(
        petition=petition,
        defaults={"identity": identity, "how": how, "linked_at": now},
    )
    if not created and owner.identity_id != identity.pk:
        raise InvalidInput(
            f"Petition {petition.tracking_code} belongs to another identity.",
            field="tracking_code",
            code="owned_elsewhere",
            text=_("Phản ánh này đã được gắn với một tài khoản định danh khác."),
        )
    return owner


def owned_petitions(identity):
    """The petitions of an identity, newest first."""
    from workflow.models import Petition

    return (
        Petition.objects.filter(owner__identity=identity)
        .select_related("category", "agency")
        .order_by("-received_at", "-pk")
    )
