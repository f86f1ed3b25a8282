"""Staff login lockout (django-axes): per login, per address, lifted in the admin."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.utils import timezone

from tests import factories
from workflow.models import Role

LOGIN = "/accounts/login/"


@pytest.fixture
def handlers(agency_a):
    for name in ("handler_a", "handler_a2", "handler_a3"):
        factories.staff(name, Role.HANDLER, agency_a)


def attempt(client, username, password, **headers):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/work/"}, **headers
    )


def test_five_wrong_passwords_lock_the_login_even_against_the_right_one(
    client, handlers
):
    for _ in range(4):
        assert attempt(client, "handler_a", "guess").status_code == 200
    # The fifth wrong password is the one that locks.
    assert attempt(client, "handler_a", "guess").status_code == 429

    locked = attempt(client, "handler_a", "pw")

    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_login_stays_locked_from_another_address(client, handlers):
    for _ in range(5):
        attempt(client, "handler_a", "guess", REMOTE_ADDR="10.0.0.1")

    assert attempt(client, "handler_a", "pw", REMOTE_ADDR="10.0.0.9").status_code == 429
    # Other logins from the other address are not touched.
    assert (
        attempt(client, "handler_a2", "pw", REMOTE_ADDR="10.0.0.9").status_code == 302
    )


def test_wrong_passwords_from_one_address_lock_that_address_for_every_login(
    client, handlers
):
    for name in ("x1", "x2", "x3", "x4", "x5"):
        attempt(client, name, "guess", REMOTE_ADDR="10.0.0.1")

    assert attempt(client, "handler_a", "pw", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert attempt(client, "handler_a", "pw", REMOTE_ADDR="10.0.0.2").status_code == 302


def test_behind_a_proxy_each_client_counts_apart(client, handlers, settings):
    settings.FEEDBACK_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    proxy = {"REMOTE_ADDR": "192.0.2.1"}
    for name in ("x1", "x2", "x3", "x4", "x5"):
        attempt(client, name, "guess", HTTP_X_REAL_IP="10.0.0.1", **proxy)

    # One client's guesses do not lock out the others who share the proxy.
    other = attempt(client, "handler_a", "pw", HTTP_X_REAL_IP="10.0.0.2", **proxy)
    assert other.status_code == 302
    same = attempt(client, "handler_a2", "pw", HTTP_X_REAL_IP="10.0.0.1", **proxy)
    assert same.status_code == 429


def test_the_lockout_ends_after_its_cool_off(client, handlers):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "handler_a", "guess")
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert attempt(client, "handler_a", "pw").status_code == 429
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert attempt(client, "handler_a", "pw").status_code == 302


def test_an_admin_sees_the_lockout_and_lifts_it(client, staff_client, handlers):
    for _ in range(5):
        attempt(client, "handler_a", "guess")
    from django.contrib.auth import get_user_model
    from django.test import Client

    admin = get_user_model().objects.create_superuser("root", "root@x.vn", "pw")
    admin_client = staff_client(admin)
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "handler_a" in listing.content.decode()

    row = AccessAttempt.objects.get(username="handler_a")
    admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )

    assert not AccessAttempt.objects.filter(username="handler_a").exists()
    assert attempt(Client(), "handler_a", "pw").status_code == 302


def test_no_password_reset_is_mailed_to_whoever_asks(client, handlers, mailoutbox):
    # A link mailed on request would hand a handler's account (second factor
    # optional) to whoever reads their mailbox; an admin resets passwords instead.
    asked = client.post(
        "/accounts/password_reset/", {"email": "handler_a@staff.example"}
    )

    assert asked.status_code == 404
    assert client.get("/accounts/reset/MQ/set-password/").status_code == 404
    assert mailoutbox == []


def test_staff_change_their_own_password_with_the_old_one(client, handlers):
    from django.contrib.auth import get_user_model

    client.post(LOGIN, {"username": "handler_a", "password": "pw"})
    changed = client.post(
        "/accounts/password_change/",
        {
            "old_password": "pw",
            "new_password1": "a long new staff passphrase",
            "new_password2": "a long new staff passphrase",
        },
    )

    assert changed.status_code == 302
    user = get_user_model().objects.get(username="handler_a")
    assert user.check_password("a long new staff passphrase")
