"""The supervisor dashboard: only supervisors (and admins), only their agencies."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests import factories
from workflow import services, sweeps
from workflow.access import Actor
from workflow.models import Petition

MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
DASHBOARD = "/work/dashboard/"


@pytest.fixture
def late_at_a(submit, routed_to_a, handler_a):
    with time_machine.travel(MONDAY, tick=False):
        petition = submit(title="Chậm tiếp nhận")
        services.claim_petition(petition_id=petition.pk, actor=handler_a)
    late = petition.next_due_at + timedelta(hours=2)
    sweeps.sweep(now=late)
    return petition, late


def test_anonymous_visitor_is_sent_to_login(client):
    assert client.get(DASHBOARD)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["handler_a", "auditor", "coordinator"])
def test_other_roles_get_404(request, db, name, staff_client):
    assert staff_client(request.getfixturevalue(name)).get(DASHBOARD).status_code == 404


def test_supervisor_sees_load_overdue_and_escalations(
    late_at_a, supervisor_a, staff_client
):
    petition, late = late_at_a
    with time_machine.travel(late, tick=False):
        response = staff_client(supervisor_a).get(DASHBOARD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Handler_A" in page  # the handler's load row
    assert petition.tracking_code in page  # its breach is an escalation
    assert "<caption" in page


def test_supervisor_of_another_agency_sees_none_of_it(
    late_at_a, agency_b, staff_client
):
    petition, late = late_at_a
    other = Actor.staff(factories.staff("supervisor_b", "supervisor", agency_b))
    page = staff_client(other).get(DASHBOARD).content.decode()
    assert petition.tracking_code not in page and "Handler_A" not in page


def test_staff_home_sends_each_role_to_its_page(
    supervisor_a, handler_a, auditor, staff_client
):
    assert staff_client(supervisor_a).get("/work/")["Location"] == DASHBOARD
    assert staff_client(handler_a).get("/work/")["Location"] == "/work/queue/"
    assert staff_client(auditor).get("/work/")["Location"] == "/audit/"


def test_login_page_lands_staff_on_their_home(client, handler_a):
    page = client.get("/accounts/login/").content.decode()
    assert 'name="next" value="/work/"' in page
    response = client.post(
        "/accounts/login/",
        {"username": "handler_a", "password": "pw", "next": "/work/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/work/queue/"


def test_wrong_password_says_so_without_saying_which(client, handler_a):
    response = client.post(
        "/accounts/login/", {"username": "handler_a", "password": "nope"}
    )
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_dashboard_puts_extensions_then_answers_to_approve_first_each_breach_once(
    submit, routed_to_a, agency_a, handler_a, supervisor_a, staff_client
):
    agency_a.requires_answer_review = True
    agency_a.save()
    with time_machine.travel(MONDAY, tick=False):
        late, reviewed, extended = (
            submit(title="Chậm cả hai bước"),
            submit(title="Chờ duyệt"),
            submit(title="Xin gia hạn"),
        )
    # The late one breaches its acceptance deadline, then, accepted late, its answer
    # deadline: two breached clocks, one petition.
    sweeps.sweep(now=late.next_due_at + timedelta(hours=1))
    with time_machine.travel(late.next_due_at + timedelta(hours=2), tick=False):
        for petition in (late, reviewed, extended):
            services.accept_petition(petition_id=petition.pk, actor=handler_a)
        services.answer_petition(
            petition_id=reviewed.pk, actor=handler_a, text="Đã sửa đèn."
        )
        services.request_extension(
            petition_id=extended.pk, actor=handler_a, days=5, reason="Chờ vật tư"
        )
    answer_due = Petition.objects.get(pk=late.pk).due_at
    sweeps.sweep(now=answer_due + timedelta(hours=1))
    with time_machine.travel(answer_due + timedelta(hours=2), tick=False):
        page = staff_client(supervisor_a).get(DASHBOARD).content.decode()
    # What waits for the supervisor comes first: extensions, then answers.
    assert (
        page.index('id="extensions"')
        < page.index('id="answers-to-approve"')
        < page.index("Khối lượng theo cán bộ")
        < page.index('id="breaches"')
    )
    answers = page[page.index('id="answers-to-approve"') : page.index("Khối lượng")]
    assert reviewed.tracking_code in answers and "Chờ duyệt" in answers
    # The petition that breached two clocks is one row naming both.
    breaches = page[page.index('id="breaches"') :]
    assert breaches.count(f">{late.tracking_code}</a>") == 1
    row = breaches[breaches.index(late.tracking_code) :].split("</tr>")[0]
    assert "Tiếp nhận" in row and "Trả lời" in row
