"""The handler queue page: what each user sees, claim, bulk assign, query budget."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests import factories
from workflow import services
from workflow.models import HistoryEntry, Petition

MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
QUEUE = "/work/queue/"


@pytest.fixture
def petitions_at_a(submit, routed_to_a):
    def make(count):
        with time_machine.travel(MONDAY, tick=False):
            return [submit(title=f"Phản ánh số {i}") for i in range(count)]

    return make


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/work/queue/")


def test_login_without_a_staff_role_gets_404(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("someone", password="x"))
    assert client.get(QUEUE).status_code == 404
    assert client.get("/work/").status_code == 404


def test_handler_sees_the_agency_queue_with_badges_and_claim_buttons(
    petitions_at_a, handler_a, staff_client
):
    [petition] = petitions_at_a(1)
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        response = staff_client(handler_a).get(QUEUE)
    page = response.content.decode()
    assert response.status_code == 200
    assert petition.tracking_code in page
    assert 'class="badge on_track"' in page
    assert f'form="claim-{petition.tracking_code}"' in page
    assert "<caption" in page and 'scope="col"' in page


def test_handler_of_another_agency_never_sees_them(
    petitions_at_a, handler_b, staff_client
):
    [petition] = petitions_at_a(1)
    page = staff_client(handler_b).get(QUEUE).content.decode()
    assert petition.tracking_code not in page
    # Searching for the code (echoed in the search box) finds no row either.
    found = staff_client(handler_b).get(QUEUE, {"q": petition.tracking_code})
    assert f"/work/petitions/{petition.tracking_code}/" not in found.content.decode()


def test_claim_from_the_queue_returns_to_the_queue(
    petitions_at_a, handler_a, staff_client
):
    [petition] = petitions_at_a(1)
    response = staff_client(handler_a).post(
        f"/work/petitions/{petition.tracking_code}/claim/",
        {"claim-version": petition.version, "next": QUEUE + "?view=unassigned"},
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE + "?view=unassigned"
    assert Petition.objects.get(pk=petition.pk).handler == handler_a.user


def test_claim_never_redirects_to_another_site(petitions_at_a, handler_a, staff_client):
    [petition] = petitions_at_a(1)
    response = staff_client(handler_a).post(
        f"/work/petitions/{petition.tracking_code}/claim/",
        {"claim-version": petition.version, "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/work/petitions/{petition.tracking_code}/"


@pytest.mark.parametrize("target", ["abc", "queue", "-1", "cyvdhf4zex", "đi"])
def test_a_next_that_is_not_a_path_goes_to_the_case_after_the_step(
    petitions_at_a, handler_a, staff_client, target
):
    # redirect() reads a bare word as a URL pattern's name: NoReverseMatch, a 500
    # after the claim was saved.
    [petition] = petitions_at_a(1)
    response = staff_client(handler_a).post(
        f"/work/petitions/{petition.tracking_code}/claim/",
        {"claim-version": petition.version, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/work/petitions/{petition.tracking_code}/"
    assert Petition.objects.get(pk=petition.pk).handler == handler_a.user


def test_filters_mine_and_overdue_only(petitions_at_a, handler_a, staff_client):
    first, second = petitions_at_a(2)
    services.claim_petition(petition_id=first.pk, actor=handler_a)
    client = staff_client(handler_a)
    mine = client.get(QUEUE, {"view": "mine"}).content.decode()
    assert first.tracking_code in mine and second.tracking_code not in mine
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        late = client.get(QUEUE, {"overdue": "on"}).content.decode()
    assert second.tracking_code not in late


def test_a_bad_filter_value_is_shown_as_an_error_not_a_crash(
    petitions_at_a, handler_a, staff_client
):
    petitions_at_a(1)
    response = staff_client(handler_a).get(QUEUE, {"category": "999999", "page": "x"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_coordinator_has_a_triage_view_of_unrouted_petitions(
    submit, coordinator, handler_a, staff_client
):
    waiting = submit(category=factories.category("other").code)
    page = staff_client(coordinator).get(QUEUE, {"view": "triage"}).content.decode()
    assert waiting.tracking_code in page
    assert (
        waiting.tracking_code not in staff_client(handler_a).get(QUEUE).content.decode()
    )


def test_supervisor_assigns_several_and_hears_which_failed_and_why(
    petitions_at_a, supervisor_a, handler_a, staff_client
):
    first, second, third = petitions_at_a(3)
    stale = f"{third.pk}:{third.version}"
    services.claim_petition(petition_id=third.pk, actor=handler_a)
    response = staff_client(supervisor_a).post(
        "/work/queue/assign/",
        {
            "petitions": [
                f"{first.pk}:{first.version}",
                f"{second.pk}:{second.version}",
                stale,
            ],
            "handler": handler_a.user.pk,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đã phân công 2 phản ánh" in page
    assert f"{third.tracking_code} chưa được phân công" in page
    assigned = Petition.objects.filter(pk__in=[first.pk, second.pk])
    assert {p.handler_id for p in assigned} == {handler_a.user.pk}
    # The stale one kept its history as it was: claimed, not reassigned.
    assert not HistoryEntry.objects.filter(petition=third, action="assign").exists()


def test_supervisor_cannot_assign_another_agencys_petition(
    petitions_at_a, agency_b, handler_a, staff_client
):
    [petition] = petitions_at_a(1)
    from workflow.access import Actor

    other = Actor.staff(factories.staff("supervisor_b", "supervisor", agency_b))
    staff_client(other).post(
        "/work/queue/assign/",
        {"petitions": [f"{petition.pk}:{petition.version}"], "handler": 1},
    )
    assert Petition.objects.get(pk=petition.pk).handler_id is None


def test_handler_cannot_bulk_assign(petitions_at_a, handler_a, staff_client):
    [petition] = petitions_at_a(1)
    response = staff_client(handler_a).post(
        "/work/queue/assign/",
        {"petitions": [f"{petition.pk}:1"], "handler": handler_a.user.pk},
    )
    assert response.status_code == 404
    assert Petition.objects.get(pk=petition.pk).handler_id is None


def rows_on(response) -> int:
    assert response.status_code == 200
    return response.content.decode().count('scope="row"')


# Session, user, its second-factor device, memberships, agency subtrees, filter
# choices, count, one page, the reference data's version (the calendars for the
# working days left).
QUERY_BUDGET = 12


@pytest.mark.parametrize("actor_name", ["handler_a", "supervisor_a", "coordinator"])
def test_queue_costs_the_same_queries_for_10_and_50_rows(
    request, actor_name, petitions_at_a, staff_client, django_assert_max_num_queries
):
    client = staff_client(request.getfixturevalue(actor_name))
    petitions_at_a(10)
    with django_assert_max_num_queries(QUERY_BUDGET) as ten:
        assert rows_on(client.get(QUEUE)) == 10
    petitions_at_a(40)
    with django_assert_max_num_queries(QUERY_BUDGET) as fifty:
        assert rows_on(client.get(QUEUE)) == 50
    # No query per row: five times the rows, the same queries.
    assert len(fifty.captured_queries) == len(ten.captured_queries)
