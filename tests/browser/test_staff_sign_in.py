"""Signing in with two factors in a real browser, and pages that run under the CSP.

The page fixture fails a test on any Content-Security-Policy violation Chromium
reports, so walking the staff pages and the admin here proves they need no inline
code (the policy has no 'unsafe-inline').
"""

import pytest
from django.contrib.auth import get_user_model

from tests import factories
from tests.support.signin import totp_device
from workflow import services
from workflow.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(transactional_db):
    land = factories.category("land")
    agency = factories.agency("so-tnmt-lang-son")
    factories.rule(agency, category=land)
    supervisor = factories.staff("supervisor_a", Role.SUPERVISOR, agency)
    totp_device(supervisor)  # enrolled earlier: this login verifies with its app
    admin = get_user_model().objects.create_superuser("root", "root@x.vn", "pw")
    totp_device(admin)
    petition = services.submit_petition(
        channel="web",
        submitter_kind="citizen",
        submitter_name="Nguyễn Văn An",
        email="an@example.vn",
        title="Cống thoát nước bị tắc",
        content="Cống đầu thôn bị tắc.",
        category=land.code,
        province=factories.LANG_SON,
    ).petition
    return petition


def test_a_supervisor_and_an_admin_sign_in_with_their_app_and_work_under_the_csp(
    page, login, cast
):
    # Password, then the app's current code (computed from the device's key).
    login(page, "supervisor_a")
    page.get_by_role("heading", name="Bảng điều hành").wait_for()
    page.goto(f"/work/petitions/{cast.tracking_code}/")
    page.get_by_role("heading", name="Cống thoát nước bị tắc").wait_for()
    page.goto("/accounts/two-factor/recovery-codes/")
    page.get_by_role("button", name="Tạo bộ mã khôi phục mới").click()
    assert page.locator("#recovery-codes li").count() == 10
    page.shot("supervisor-recovery-codes")
    page.context.clear_cookies()

    login(page, "root")
    for path in (
        "/admin/",
        "/admin/workflow/petition/",
        f"/admin/workflow/petition/{cast.pk}/change/",
        "/admin/workflow/agency/add/",
        "/admin/axes/accessattempt/",
        "/admin/otp_totp/totpdevice/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
    page.shot("admin-under-csp")
