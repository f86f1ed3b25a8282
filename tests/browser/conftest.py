"""Browser tests: Playwright drives Debian's Chromium against the live test server.

Fixtures for any role's test:
- `browser` (session): Chromium from /usr/bin/chromium, never a downloaded build.
  Missing, the tests are skipped, or fail when CI=true.
- `page`: a fresh browser context on the live server (Vietnamese, 1280×900) with
  `page.shot(name)` saving test-artifacts/screenshots/<test>/<NN-name>.png.
- `shot`: the same helper on its own.
- `login(page, username, password="pw")`: logs a staff user in through the real
  login form and, where the login asks for it, the second step: a code computed
  from the device's key as an authenticator app would (a login that must enrol
  first reads the key off the enrolment page). Create users in the test, e.g.
  with tests.factories.staff.
- `media_root`: attachments go to a temporary folder.
A console message about the Content-Security-Policy fails the test that caused it.

live_server makes the tests transactional: the database is flushed after each test,
and tests/conftest.py's autouse fixture loads the administrative units again.
"""

import itertools
import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the test's thread; Django refuses ORM
# calls from such a thread unless told that the code is in fact synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TIMEOUT_MS = 15_000


def _unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(
            "the playwright package is missing (pip install -r requirements.txt)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    numbers = itertools.count(1)

    def shot(name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{next(numbers):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    page.shot = shot
    # The Content-Security-Policy forbids inline code: a page that still has some
    # makes Chromium report a violation on the console, which fails the test.
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert violations == [], f"CSP violations on {request.node.name}: {violations}"


@pytest.fixture
def shot(page):
    return page.shot


@pytest.fixture
def login():
    """Log a user in through the login form, as a person would."""

    def login(page, username: str, password: str = "pw"):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
        if "/accounts/login/" in page.url:
            raise AssertionError(f"login of {username!r} failed")
        if "/accounts/two-factor/setup/" in page.url:
            _enrol(page)
        elif "/accounts/two-factor/" in page.url:
            _verify(page, username)
        return page

    return login


def _submit_code(page, code):
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _enrol(page):
    """Pair an 'app' from the key the page shows, confirm, and go on."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    _submit_code(page, f"{TOTP(b32decode(secret)).token():06d}")
    page.locator("#recovery-codes").wait_for()
    with page.expect_navigation():
        page.get_by_role("link", name="Tiếp tục").click()


def _verify(page, username):
    from django.contrib.auth import get_user_model

    from tests.support.signin import current_code, totp_device

    user = get_user_model().objects.get(username=username)
    _submit_code(page, current_code(totp_device(user)))
    if "/accounts/two-factor/" in page.url:
        raise AssertionError(f"second factor of {username!r} refused")
