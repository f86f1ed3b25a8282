"""Staff sign-in for tests: password and second factor, as the login pages leave it.

`signed_in(client, user)` is to a test what both sign-in steps are to a person: the
session is logged in (force_login) and, for a login that has a device or must have
one, verified with a real confirmed TOTP device (the session key django-otp's own
login sets). Tests of the steps themselves go through the pages
(tests/workflow/test_staff_login.py); browser tests type a code computed from the
device's key (`current_code`).
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflow.staff_login.devices import TOTP_NAME


def totp_device(user) -> TOTPDevice:
    """The user's confirmed TOTP device (created when there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    return device


def current_code(device, *, step_offset=0) -> str:
    """The code an authenticator app shows now for this device (RFC 6238)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + step_offset * device.step
    return f"{totp.token():0{device.digits}d}"


def signed_in(client, user):
    """Log `user` in on `client` with both factors settled; returns the client."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
    return client
