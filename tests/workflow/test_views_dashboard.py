"""The supervisor dashboard: only supervisors (and admins), only their agencies."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests import factories
from workflow import services, sweeps
from workflow.access import Actor

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
