"""The machine doors pass the site's browser middleware (config.browser_only)."""

from django.test import Client
from django.utils import timezone

from feedback.integrations.keys import issue_api_key


def test_a_staff_session_sent_to_the_api_is_not_read_there_and_still_works_on_the_site(
    client, staff_client, handler_a, post_petition, routed_to_a
):
    staff = staff_client(handler_a)  # the same client: its session cookie goes along

    created = post_petition()

    assert created.status_code == 201
    # The session was never opened (no Vary: Cookie), nobody was signed in (no
    # private-page headers).
    assert "Cookie" not in created.get("Vary", "")
    assert "no-store" not in created.get("Cache-Control", "")
    assert created["Content-Security-Policy"]  # the headers every door gets stay
    assert created["X-Content-Type-Options"] == "nosniff"
    queue = staff.get("/work/queue/")
    assert queue.status_code == 200
    assert "no-store" in queue["Cache-Control"]
    assert queue["X-Frame-Options"] == "DENY"


def test_open311_passes_them_too_and_the_site_still_checks_csrf(db, land):
    browser = Client(enforce_csrf_checks=True)

    services = browser.get("/open311/v2/services.json")
    refused = browser.post("/track/", {"tracking_code": "NOSUCHCODE", "secret": "X"})

    assert services.status_code == 200
    assert "Cookie" not in services.get("Vary", "")
    assert refused.status_code == 403  # no CSRF token


def test_a_machine_door_post_needs_no_csrf_token(db, land, routed_to_a):
    _, key = issue_api_key(name="portal-csrf", now=timezone.now())
    machine = Client(enforce_csrf_checks=True)

    response = machine.post(
        "/api/v1/petitions",
        data="{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )

    assert response.status_code == 400  # refused for its fields, not for CSRF
    assert response.json()["error"] == "invalid"
