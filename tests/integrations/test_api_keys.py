import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from feedback.integrations.keys import (
    KEY_MEMORY,
    admit,
    deactivate_api_keys,
    issue_api_key,
)
from feedback.integrations.models import DEFAULT_REQUESTS_PER_MINUTE, ApiKey
from feedback.models import RateLimitCounter


def authenticate(key, *, now):
    admission = admit(key, now=now)
    return admission and admission.api_key


def test_create_api_key_prints_the_key_once_and_stores_only_its_hash(db):
    out, err = StringIO(), StringIO()

    call_command("create_api_key", "cong-dvc", stdout=out, stderr=err)

    key = out.getvalue().strip()
    api_key = ApiKey.objects.get(name="cong-dvc")
    assert len(key) >= 40
    assert api_key.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert api_key.prefix == key[:8]
    # Nothing stored holds the key itself.
    assert key not in {api_key.key_hash, api_key.name, api_key.prefix}
    assert api_key.requests_per_minute == DEFAULT_REQUESTS_PER_MINUTE
    assert "shown only now" in err.getvalue()
    assert authenticate(key, now=timezone.now()) == api_key


def test_two_keys_are_different_and_a_name_is_used_once(db):
    out1, out2 = StringIO(), StringIO()
    call_command("create_api_key", "a", stdout=out1, stderr=StringIO())
    call_command("create_api_key", "b", "--unlimited", stdout=out2, stderr=StringIO())

    assert out1.getvalue() != out2.getvalue()
    assert ApiKey.objects.get(name="b").requests_per_minute is None
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_api_key", "a", stdout=StringIO(), stderr=StringIO())


def test_the_command_sets_a_rate_limit(db):
    call_command(
        "create_api_key",
        "slow",
        "--requests-per-minute",
        "30",
        stdout=StringIO(),
        stderr=StringIO(),
    )

    assert ApiKey.objects.get(name="slow").requests_per_minute == 30


def test_only_the_exact_active_key_authenticates(db):
    api_key, key = issue_api_key(name="portal", now=timezone.now())
    now = timezone.now()

    assert authenticate(key, now=now) == api_key
    assert authenticate(f" {key} ", now=now) == api_key
    # Same prefix, different key: the hash decides.
    assert authenticate(key[:8] + "x" * 35, now=now) is None
    assert authenticate(key[:-1], now=now) is None
    assert authenticate("", now=now) is None
    assert authenticate(None, now=now) is None
    assert authenticate(key + "\ud800", now=now) is None
    deactivate_api_keys(ApiKey.objects.all())
    assert authenticate(key, now=now) is None


def test_a_key_switched_off_elsewhere_stops_working_within_the_keys_memory(db):
    api_key, key = issue_api_key(name="portal", now=timezone.now())
    now = timezone.now()
    assert authenticate(key, now=now) == api_key

    # Another worker switches it off: this one remembers the key a little longer.
    ApiKey.objects.update(is_active=False)
    assert authenticate(key, now=now + KEY_MEMORY / 2) == api_key
    assert authenticate(key, now=now + KEY_MEMORY) is None


@pytest.fixture
def admin_client_logged_in(staff_client, db):
    admin = get_user_model().objects.create_superuser("root", "root@x.vn", "pw")
    return staff_client(admin)


def test_an_admin_creates_a_key_and_sees_it_once(admin_client_logged_in):
    response = admin_client_logged_in.post(
        "/admin/integrations/apikey/add/",
        {"name": "open311-app", "requests_per_minute": "60"},
        follow=True,
    )

    api_key = ApiKey.objects.get(name="open311-app")
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) >= 1
    key = shown[0].rsplit(": ", 1)[1]
    assert authenticate(key, now=timezone.now()) == api_key
    assert api_key.requests_per_minute == 60
    # The change page afterwards shows the prefix, never the key.
    page = admin_client_logged_in.get(
        f"/admin/integrations/apikey/{api_key.pk}/change/"
    )
    assert api_key.prefix in page.content.decode()
    assert key not in page.content.decode()


def test_an_admin_deactivates_keys_and_cannot_delete_them(admin_client_logged_in):
    api_key, key = issue_api_key(name="old", now=timezone.now())

    admin_client_logged_in.post(
        "/admin/integrations/apikey/",
        {"action": "deactivate", "_selected_action": [api_key.pk]},
    )

    assert ApiKey.objects.get().is_active is False
    assert authenticate(key, now=timezone.now()) is None
    response = admin_client_logged_in.get(
        f"/admin/integrations/apikey/{api_key.pk}/delete/"
    )
    assert response.status_code == 403


def test_the_key_admin_is_closed_to_staff_without_the_permission(staff_client, db):
    user = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    client = staff_client(user)

    assert client.get("/admin/integrations/apikey/").status_code == 403


def test_admitting_counts_each_request_in_the_keys_minute_and_refuses_past_it(db):
    api_key, key = issue_api_key(
        name="portal", now=timezone.now(), requests_per_minute=2
    )
    now = timezone.now().replace(second=10, microsecond=0)
    verdicts = [admit(key, now=now).verdict for _ in range(3)]

    assert [v.count for v in verdicts] == [1, 2, 3]
    assert [v.allowed for v in verdicts] == [True, True, False]
    assert verdicts[2].retry_after_seconds(now) == 51
    # An unknown key, or a known prefix with the wrong rest, counts nothing.
    assert admit(key[:8] + "y" * 35, now=now) is None
    assert RateLimitCounter.objects.get().count == 3
    # A key without a limit is admitted without a verdict (once the process
    # reads the key again).
    ApiKey.objects.filter(pk=api_key.pk).update(requests_per_minute=None)
    assert admit(key, now=now + KEY_MEMORY).verdict is None
    assert RateLimitCounter.objects.get().count == 3
