"""The second sign-in step, through its pages: enrol, verify, recovery codes."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.support.signin import current_code, totp_device
from workflow.models import Role

QUEUE = "/work/queue/"
VERIFY = reverse("staff_login:verify")
ENROL = reverse("staff_login:enrol")


def password_login(client, username, password="pw"):
    """The first step through Django's login page; returns where it leads."""
    response = client.post(
        "/accounts/login/", {"username": username, "password": password, "next": QUEUE}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def code_from_page(page) -> str:
    """What an authenticator app shows after scanning the enrolment page's key."""
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode())[1]
    return f"{TOTP(b32decode(secret.replace(' ', ''))).token():06d}"


@pytest.mark.parametrize(
    "role", [Role.SUPERVISOR, Role.AUDITOR, Role.COORDINATOR, "admin"]
)
def test_roles_that_decide_or_see_across_agencies_must_enrol_first(
    client, agency_a, role
):
    if role == "admin":
        user = factories.staff("boss", Role.AUDITOR)
        user.is_staff = True
        user.save()
    else:
        agency = agency_a if role == Role.SUPERVISOR else None
        factories.staff("boss", role, agency)
    password_login(client, "boss")

    # Every page but the second step's own sends the half-signed-in session there.
    for url in (QUEUE, "/audit/", "/admin/", "/work/dashboard/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL)
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "otpauth://totp/" in page.content.decode()
    assert "<svg" in page.content.decode()  # the QR code


def test_enrolling_with_the_apps_first_code_gives_recovery_codes_and_opens_the_pages(
    client, supervisor_a
):
    password_login(client, "supervisor_a")
    page = client.get(ENROL)

    done = client.post(ENROL, {"code": code_from_page(page), "next": QUEUE})

    assert done.status_code == 200
    codes = re.findall(r'<li class="code">([A-Z0-9-]+)</li>', done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=supervisor_a.user).confirmed is True
    assert client.get(QUEUE).status_code == 200


def test_a_wrong_enrolment_code_confirms_nothing(client, supervisor_a):
    password_login(client, "supervisor_a")
    client.get(ENROL)

    refused = client.post(ENROL, {"code": "000000"})

    assert refused.status_code == 400
    assert TOTPDevice.objects.get(user=supervisor_a.user).confirmed is False
    assert client.get(QUEUE)["Location"].startswith(ENROL)


def test_a_login_with_a_device_verifies_with_the_current_code(client, supervisor_a):
    device = totp_device(supervisor_a.user)
    first = password_login(client, "supervisor_a")
    assert client.get(first["Location"])["Location"].startswith(VERIFY)

    done = client.post(VERIFY, {"code": current_code(device), "next": QUEUE})

    assert done.status_code == 302 and done["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200


def test_a_code_is_not_accepted_twice(client, supervisor_a):
    device = totp_device(supervisor_a.user)
    code = current_code(device)
    password_login(client, "supervisor_a")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post("/accounts/logout/")

    password_login(client, "supervisor_a")
    again = client.post(VERIFY, {"code": code})

    # The same code in the same 30 seconds is a replay, not a second login.
    assert again.status_code == 400
    assert client.get(QUEUE).status_code == 302


def test_wrong_codes_slow_the_next_attempts_down(client, supervisor_a):
    device = totp_device(supervisor_a.user)
    password_login(client, "supervisor_a")
    assert client.post(VERIFY, {"code": "000000"}).status_code == 400

    # Right after a wrong code, even the right one waits (django-otp's throttle).
    again = client.post(VERIFY, {"code": current_code(device)})

    assert again.status_code == 400
    assert "giây" in again.content.decode()
    assert client.get(QUEUE)["Location"].startswith(VERIFY)


def test_a_recovery_code_signs_in_once(client, staff_client, supervisor_a):
    codes_page = staff_client(supervisor_a).post(reverse("staff_login:recovery_codes"))
    code = re.findall(
        r'<li class="code">([A-Z0-9-]+)</li>', codes_page.content.decode()
    )[0]
    client.post("/accounts/logout/")

    password_login(client, "supervisor_a")
    assert client.post(VERIFY, {"code": code.lower()}).status_code == 302
    client.post("/accounts/logout/")
    password_login(client, "supervisor_a")

    assert client.post(VERIFY, {"code": code}).status_code == 400


def test_a_handler_may_work_without_a_second_factor(client, handler_a):
    password_login(client, "handler_a")

    assert client.get(QUEUE).status_code == 200


def test_a_handler_who_enrolled_verifies_like_everyone_else(client, handler_a):
    totp_device(handler_a.user)
    password_login(client, "handler_a")

    assert client.get(QUEUE)["Location"].startswith(VERIFY)


def test_the_steps_never_lead_off_the_site(client, supervisor_a):
    device = totp_device(supervisor_a.user)
    password_login(client, "supervisor_a")

    done = client.post(
        VERIFY, {"code": current_code(device), "next": "https://evil.example/"}
    )

    assert done.status_code == 302 and done["Location"] == "/work/"


@pytest.mark.parametrize("target", ["abc", "-1", "0", "queue", "đi"])
def test_a_next_that_is_not_a_path_leads_home(
    client, staff_client, supervisor_a, target
):
    # A bare word is no path: redirect() took it for a URL pattern's name (500).
    device = totp_device(supervisor_a.user)
    password_login(client, "supervisor_a")

    done = client.post(VERIFY, {"code": current_code(device), "next": target})
    again = client.get(VERIFY, {"next": target})

    assert done.status_code == 302 and done["Location"] == "/work/"
    assert again.status_code == 302 and again["Location"] == "/work/"
