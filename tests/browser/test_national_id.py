"""A citizen logs in with the national identity, in Chromium, against a real
OpenID Connect provider (node oidc-provider on 127.0.0.1, tests/support/oidc.py)."""

import pytest

from tests import factories
from tests.support.oidc import running_provider
from workflow.models import Petition
from workflow.privacy.models import CitizenIdentity, PetitionOwner
from workflow.services import submit_petition

pytestmark = pytest.mark.browser

SUBJECT = "079090001234"
ACCOUNTS = {
    SUBJECT: {
        "name": "Nguyễn Văn An",
        "email": "an@example.vn",
        "phone_number": "0912345678",
    }
}


@pytest.fixture
def provider(live_server, settings, tmp_path):
    callback = f"{live_server.url}/login/national-id/callback/"
    with running_provider(
        redirect_uris=[callback], accounts=ACCOUNTS, workdir=tmp_path
    ) as running:
        for name, value in running.settings(
            OIDC_RP_SCOPES="openid profile email phone"
        ).items():
            setattr(settings, name, value)
        yield running


@pytest.fixture
def land_in_lang_son(transactional_db):
    land = factories.category("land")
    factories.rule(factories.agency("so-tnmt-lang-son"), category=land)
    return land


def log_in_at_the_provider(page):
    """The provider's own pages: any login, then the consent to share."""
    page.locator("input[name=login]").wait_for()
    page.fill("input[name=login]", SUBJECT)
    page.fill("input[name=password]", "any")
    page.shot("provider-login")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_a_citizen_logs_in_files_and_finds_their_petitions(
    page, provider, land_in_lang_son
):
    # A petition filed earlier without logging in, with its code and secret.
    earlier = submit_petition(
        channel="web",
        submitter_kind="citizen",
        submitter_name="Nguyễn Văn An",
        email="an@example.vn",
        title="Phản ánh gửi trước",
        content="Gửi khi chưa đăng nhập.",
        category="land",
        province=factories.LANG_SON,
    )
    page.goto("/mine/")
    page.shot("my-petitions-logged-out")
    page.get_by_role("link", name="Đăng nhập bằng định danh điện tử").click()
    assert page.url.startswith(provider.issuer)
    log_in_at_the_provider(page)

    page.get_by_role("heading", name="Hồ sơ của tôi").wait_for()
    assert "/mine/" in page.url
    assert page.get_by_text(
        "Bạn đang đăng nhập bằng tài khoản định danh điện tử"
    ).is_visible()
    page.shot("my-petitions-logged-in")
    # Only a pseudonym is stored: no name, no subject in clear.
    identity = CitizenIdentity.objects.get()
    assert SUBJECT not in identity.subject
    assert identity.user.is_staff is False

    # The form is prefilled from the claims; consent is still the citizen's act.
    page.goto("/")
    assert page.input_value("#id_submitter_name") == "Nguyễn Văn An"
    assert page.input_value("#id_email") == "an@example.vn"
    assert page.is_checked("#id_processing_consent") is False
    page.select_option("#id_category", "land")
    page.select_option("#id_province", str(factories.LANG_SON))
    page.fill("#id_title", "Cầu treo xuống cấp")
    page.fill("#id_content", "Đề nghị sửa cầu treo trước mùa mưa.")
    page.check("#id_processing_consent")
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    page.get_by_role("heading", name="Phản ánh của bạn đã được tiếp nhận").wait_for()
    filed = Petition.objects.get(title="Cầu treo xuống cấp")
    assert PetitionOwner.objects.get(petition=filed).how == "filed"

    # The earlier petition joins the file with its code and secret.
    page.goto("/mine/")
    page.fill("#id_tracking_code", earlier.petition.tracking_code)
    page.fill("#id_secret", earlier.secret)
    page.get_by_role("button", name="Gắn vào hồ sơ").click()
    page.get_by_text("Đã gắn phản ánh").wait_for()
    listed = page.locator("table.my-petitions").inner_text()
    assert filed.tracking_code in listed and earlier.petition.tracking_code in listed
    page.shot("both-petitions")

    # A citizen's login is no staff login: the staff pages answer 404.
    response = page.goto("/work/queue/")
    assert response.status == 404

    page.goto("/mine/")
    page.get_by_role("button", name="Đăng xuất").click()
    page.goto("/mine/")
    assert page.get_by_role(
        "link", name="Đăng nhập bằng định danh điện tử"
    ).is_visible()


def test_a_login_cancelled_at_the_provider_says_so_and_logs_nobody_in(
    page, provider, land_in_lang_son
):
    page.goto("/mine/")
    page.get_by_role("link", name="Đăng nhập bằng định danh điện tử").click()
    page.locator("input[name=login]").wait_for()
    # The provider sends the citizen back with error=access_denied.
    page.get_by_role("link", name="[ Cancel ]").click()
    page.get_by_text(
        "Đăng nhập bằng tài khoản định danh điện tử không thành công"
    ).wait_for()
    page.shot("login-cancelled")
    assert "/mine/" in page.url
    assert not CitizenIdentity.objects.exists()
