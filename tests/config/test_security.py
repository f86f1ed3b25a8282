"""Secure by default: HTTPS settings, response headers, pages without inline code."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _checkpoint_key() -> str:
    # Production also signs its audit checkpoints with a key of its own
    # (workflow.E002, docs/audit.md).
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "pakn.example.gov.vn",
    "SITE_URL": "https://pakn.example.gov.vn",
    "AUDIT_CHECKPOINT_KEY": _checkpoint_key(),
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def _outside_tests() -> dict:
    # The browser tests' conftest allows async-unsafe calls for this process only.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run(args, **env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**_outside_tests(), **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def last_line(done) -> str:
    # Logs go to stdout as JSON lines; the settings are the last line.
    return done.stdout.strip().splitlines()[-1]


SHOW_SETTINGS = """
import django
django.setup()
from django.conf import settings as s
print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,
      s.SECURE_HSTS_SECONDS, getattr(s, "SECURE_PROXY_SSL_HEADER", None))
"""


def test_production_settings_pass_the_deploy_check_without_a_warning():
    checked = run(["manage.py", "check", "--deploy"])

    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues" in checked.stdout
    assert "WARNINGS" not in checked.stdout + checked.stderr


def test_the_deploy_check_warns_of_a_site_address_citizens_cannot_reach():
    # Letters, proof files and messages carry SITE_URL; its default is the
    # development server's.
    checked = run(["manage.py", "check", "--deploy"], SITE_URL="http://127.0.0.1:8000")

    assert "workflow.W003" in checked.stdout + checked.stderr


def test_without_debug_https_is_on_and_one_switch_turns_it_off():
    on = last_line(run(["-c", SHOW_SETTINGS])).split()
    off = last_line(run(["-c", SHOW_SETTINGS], HTTPS="false")).split()
    proxied = last_line(
        run(["-c", SHOW_SETTINGS], SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    )

    assert on == ["True", "True", "True", str(365 * 24 * 3600), "None"]
    assert off == ["False", "False", "False", "0", "None"]
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in proxied


@pytest.fixture
def https_on(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_plain_http_is_sent_to_https_unless_the_proxy_says_it_was_https(
    client, db, https_on
):
    plain = client.get("/answers/")
    proxied = client.get("/answers/", HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/answers/"
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"].startswith("max-age=31536000")


# --- headers on every page -------------------------------------------------------

CSP_PARTS = ("default-src 'self'", "script-src 'self'", "style-src 'self'")


@pytest.fixture
def staff_pages(submit, routed_to_a, supervisor_a, staff_client):
    petition = submit()
    client = staff_client(supervisor_a)
    return client, [
        "/work/queue/",
        "/work/dashboard/",
        f"/work/petitions/{petition.tracking_code}/",
        "/accounts/two-factor/recovery-codes/",
    ]


def test_every_kind_of_page_has_a_policy_without_unsafe_inline(
    client, staff_pages, land
):
    staff, urls = staff_pages
    responses = [client.get(u) for u in ("/", "/track/", "/answers/", "/nope/")]
    responses += [client.get("/accounts/login/")]
    responses += [staff.get(u) for u in urls]
    responses += [staff.get("/admin/"), staff.get("/admin/workflow/agency/")]

    for response in responses:
        policy = response["Content-Security-Policy"]
        assert all(part in policy for part in CSP_PARTS), response.request
        assert "unsafe-inline" not in policy


def test_staff_pages_and_downloads_are_not_stored(staff_pages, settings, tmp_path):
    staff, urls = staff_pages
    settings.MEDIA_ROOT = tmp_path
    for url in [*urls, "/audit/report-agency.csv", "/admin/"]:
        response = staff.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_a_public_page_keeps_its_own_caching(client, db):
    assert "no-store" not in client.get("/communes/?province=20")["Cache-Control"]


def test_the_tracking_pages_429_says_when_to_retry(client, db, settings):
    settings.FEEDBACK_TRACK_LIMIT_PER_IP = 1
    client.post("/track/", {"tracking_code": "NOSUCHCODE", "secret": "X"})

    refused = client.post("/track/", {"tracking_code": "NOSUCHCODE", "secret": "X"})

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= settings.FEEDBACK_TRACK_WINDOW_PER_IP


# --- no inline code in any template ------------------------------------------------

INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
        "script",
    ),
    (re.compile(r"<style\b", re.I), "style element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_or_chart_carries_inline_code():
    sources = list((ROOT / "templates").rglob("*.html"))
    sources += [ROOT / "workflow" / "charts.py", ROOT / "workflow" / "staff_login"]
    found = []
    for path in sources:
        files = path.rglob("*.py") if path.is_dir() else [path]
        for file in files:
            text = file.read_text()
            found += [
                f"{file.relative_to(ROOT)}: {what}"
                for pattern, what in INLINE
                if pattern.search(text)
            ]
    assert found == []
