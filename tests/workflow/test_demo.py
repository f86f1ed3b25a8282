import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from workflow.models import Membership, Petition, Role


def test_seed_demo_loads_logins_for_every_role_and_petitions(db, capsys):
    call_command("seed_demo", petitions=40)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert Petition.objects.count() == 40
    # More than a handful of distinct states, all reached through services.
    assert Petition.objects.values("state").distinct().count() >= 4
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_demo", petitions=1)
    call_command("seed_demo", "--if-empty")
    assert Petition.objects.count() == 40
    call_command("verify_audit")


@pytest.fixture
def demo_logins(db):
    from workflow import demo

    demo.seed_reference_data()


def test_the_demo_password_meets_the_staff_password_policy(demo_logins):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    from workflow import demo

    for name in ("admin", "supervisor", "handler", "auditor", "coordinator"):
        validate_password(
            demo.DEMO_PASSWORD, get_user_model().objects.get(username=name)
        )


def test_a_demo_supervisor_signs_in_with_the_documented_password_and_code(
    demo_logins, client, settings, capsys
):
    from workflow import demo

    settings.DEBUG = True
    call_command("demo_totp")
    code = capsys.readouterr().out.split()[0]
    client.post(
        "/accounts/login/",
        {"username": "supervisor", "password": demo.DEMO_PASSWORD},
    )

    done = client.post("/accounts/two-factor/", {"code": code, "next": "/work/"})

    assert done.status_code == 302 and done["Location"] == "/work/"
    assert client.get("/work/dashboard/").status_code == 200


def test_demo_handlers_have_no_second_factor_and_codes_need_debug(
    demo_logins, settings
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not TOTPDevice.objects.filter(user__username="handler").exists()
    assert TOTPDevice.objects.filter(user__username="admin").exists()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_totp")
