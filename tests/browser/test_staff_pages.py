"""Staff and auditor pages in a real browser: deadlines, the dashboard, the audit case.

One session per role over petitions made through the services: the handler's queue
and case pages (deadlines as last days with working days left, the submitter's
reply deadline, a transfer refused until confirmed), the supervisor's dashboard
(extensions, answers to approve, one row per breach), the auditor's case page (text,
answer, the way back). Screenshots on the desktop and at 375×812.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests import factories
from tests.browser.screens import both_sizes
from workflow import services, sweeps
from workflow.access import Actor
from workflow.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture
def cases(transactional_db):
    land = factories.category("land")
    agency = factories.agency("so-tnmt-lang-son", requires_answer_review=True)
    factories.rule(agency, category=land)
    factories.agency("so-xd-lang-son")  # somewhere to transfer to
    handler = Actor.staff(factories.staff("handler_a", Role.HANDLER, agency))
    factories.staff("supervisor_a", Role.SUPERVISOR, agency)
    factories.staff("auditor", Role.AUDITOR)

    def submit(title):
        return services.submit_petition(
            channel="web",
            submitter_kind="citizen",
            submitter_name="Nguyễn Văn An",
            email="an@example.vn",
            title=title,
            content=f"{title}: đề nghị cơ quan xem xét, xử lý.",
            category=land.code,
            province=factories.LANG_SON,
        ).petition

    # Received ten days ago and never accepted: the sweep records the breach.
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        late = submit("Cống thoát nước bị tắc")
    sweeps.sweep(now=timezone.now())
    waiting, reviewed, extended = (
        submit("Đèn đường không sáng"),
        submit("Rác thải ven sông"),
        submit("Lấn chiếm vỉa hè"),
    )
    for petition in (waiting, reviewed, extended):
        services.accept_petition(petition_id=petition.pk, actor=handler)
    services.request_information(
        petition_id=waiting.pk, actor=handler, question="Đèn ở cột số mấy?"
    )
    services.answer_petition(
        petition_id=reviewed.pk,
        actor=handler,
        text="Đã thu gom rác thải ven sông và đặt thêm thùng rác.",
    )
    services.request_extension(
        petition_id=extended.pk, actor=handler, days=5, reason="Chờ đo đạc"
    )
    return {"late": late, "waiting": waiting, "reviewed": reviewed}


def test_staff_and_auditor_pages_read_deadlines_and_lead_to_the_work(
    page, login, cases
):
    login(page, "handler_a")
    page.goto("/work/queue/")
    page.get_by_text("quá hạn", exact=False).first.wait_for()
    assert "còn " in page.inner_text("table") and "ngày làm việc" in page.inner_text(
        "table"
    )
    assert "00:00" not in page.inner_text("table")
    both_sizes(page, "queue-deadlines-and-working-days")

    page.goto(f"/work/petitions/{cases['waiting'].tracking_code}/")
    page.locator("#reply-deadline").wait_for()
    assert page.inner_text("#reply-deadline").startswith("hết ngày")
    both_sizes(page, "case-awaiting-the-citizens-reply")

    page.goto(f"/work/petitions/{cases['late'].tracking_code}/")
    transfer = page.locator(
        "section.hard-to-undo", has=page.locator("#action-transfer")
    )
    transfer.locator("select").select_option(index=1)
    transfer.locator("textarea").fill("Không thuộc thẩm quyền")
    transfer.get_by_role("button").click()
    page.get_by_text("đánh dấu ô xác nhận").wait_for()
    both_sizes(page, "case-transfer-needs-confirmation")

    # A confirmation sits in the page column, above the content it speaks of.
    page.goto("/work/queue/")
    page.get_by_role("button", name="Nhận xử lý").first.click()
    page.locator("main .messages li.success").wait_for()
    both_sizes(page, "queue-confirmation-in-the-page-column")

    page.context.clear_cookies()
    login(page, "supervisor_a")
    page.goto("/work/dashboard/")
    page.locator("#answers-to-approve").wait_for()
    assert cases["reviewed"].tracking_code in page.inner_text(
        "#answers-to-approve + table"
    )
    both_sizes(page, "dashboard-what-waits-first")

    page.context.clear_cookies()
    login(page, "auditor")
    start = timezone.localdate() - timedelta(days=30)
    listing = (
        f"/audit/petitions/?start_on={start:%Y-%m-%d}"
        f"&end_on={timezone.localdate():%Y-%m-%d}&measure=received"
    )
    page.goto(listing)
    page.get_by_role("link", name=cases["reviewed"].tracking_code).click()
    page.locator("#petition-text").wait_for()
    assert "Đã thu gom rác thải" in page.inner_text("#petition-text")
    both_sizes(page, "audit-case-text-answer-and-way-back")
    page.locator("#back").click()
    page.wait_for_url(lambda url: url.endswith(listing))
