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
