"""The staff member's second factors: one TOTP app, and single-use recovery codes."""

import math
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

TOTP_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã khôi phục"
# Recovery codes: 10 characters from an alphabet without look-alikes (0/O, 1/I/L).
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECOVERY_LENGTH = 10


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (created on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def normalised(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").upper()


def verified_device(user, token: str):
    """The confirmed device that accepts `token` (a TOTP code or a recovery code).

    Each device throttles its own failures (django-otp: the wait doubles after each
    wrong code), so guessing is as slow as the library makes it.
    """
    token = normalised(token)
    if not token:
        return None
    # ASCII digits only: "²".isdigit() is True, and a TOTP check int()s the token.
    kind = TOTPDevice if token.isascii() and token.isdigit() else StaticDevice
    for device in kind.objects.filter(user=user, confirmed=True):
        found = verify_token(user, device.persistent_id, token)
        if found is not None:
            return found
    return None


def throttled_seconds(user) -> int:
    """How long the user's TOTP app refuses every code after wrong ones (0: not)."""
    waits = [0]
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("locked_until"):
            left = (info["locked_until"] - timezone.now()).total_seconds()
            waits.append(math.ceil(left))
    return max(waits)


@transaction.atomic
def confirm_totp_device(device, token: str) -> list[str] | None:
    """Confirm an enrolment with the first code the app shows; new recovery codes.

    None when the code is wrong: the device stays unconfirmed.
    """
    if not device.verify_token(normalised(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with a fresh set, shown once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(settings.STAFF_RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=code) for code in codes]
    )
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
