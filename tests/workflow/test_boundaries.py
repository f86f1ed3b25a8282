"""Issue 9's leaks 1 and 2: a refusal says nothing of a petition the actor may not
see, and a merge never crosses into one.

Agency B's petitions are real ones in several states; for each, what a handler or
supervisor of agency A is told must be what an id or code that does not exist gets.
"""

import re

import pytest
from django.contrib.messages import get_messages

from tests import factories
from workflow import services
from workflow.access import Actor
from workflow.errors import WorkflowError
from workflow.models import Petition, State

UNKNOWN_ID = 987_654_321
UNKNOWN_CODE = "ZZZZZZZZZZ"


@pytest.fixture
def routed_to_b(agency_b, land):
    return factories.rule(agency_b, category=land, province_code=factories.LANG_SON)


@pytest.fixture
def foreign(submit, routed_to_a, routed_to_b, handler_b, agency_b):
    """Agency B's petitions: assigned, in progress, awaiting info, answered, closed."""
    supervisor_b = Actor.staff(factories.staff("supervisor_b", "supervisor", agency_b))
    made = {}
    made["assigned"] = submit(title="B assigned")
    p = submit(title="B in progress")
    made["in_progress"] = services.accept_petition(petition_id=p.pk, actor=handler_b)
    p = submit(title="B awaiting")
    services.accept_petition(petition_id=p.pk, actor=handler_b)
    made["awaiting_info"] = services.request_information(
        petition_id=p.pk, actor=handler_b, question="?"
    )
    p = submit(title="B answered")
    services.accept_petition(petition_id=p.pk, actor=handler_b)
    made["answered"] = services.answer_petition(
        petition_id=p.pk, actor=handler_b, text="Đã trả lời."
    )
    p = submit(title="B closed")
    services.accept_petition(petition_id=p.pk, actor=handler_b)
    services.answer_petition(petition_id=p.pk, actor=handler_b, text="Xong.")
    made["closed"] = services.close_petition(petition_id=p.pk, actor=supervisor_b)
    for petition in made.values():
        assert petition.agency == agency_b
    return {k: Petition.objects.get(pk=v.pk) for k, v in made.items()}


def refusal(service, petition_id, **kwargs) -> str:
    with pytest.raises(WorkflowError) as refused:
        service(petition_id=petition_id, **kwargs)
    return str(refused.value)


def anonymised(text: str, *values) -> str:
    for value in values:
        text = text.replace(str(value), "<?>")
    return text


def staff_services(actor_a, handler, agency_a):
    """Every staff service with arguments that would pass its own checks."""
    return {
        "claim": (services.claim_petition, {}),
        "assign": (services.assign_handler, {"handler": handler}),
        "accept": (services.accept_petition, {}),
        "transfer": (
            services.transfer_petition,
            {"agency_id": agency_a.pk, "reason": "x"},
        ),
        "return_to_triage": (services.return_to_triage, {"reason": "x"}),
        "request_info": (services.request_information, {"question": "x"}),
        "answer": (services.answer_petition, {"text": "x"}),
        "approve_answer": (services.approve_answer, {}),
        "return_answer": (services.return_answer, {"reason": "x"}),
        "expire": (services.expire_petition, {}),
        "reject": (services.reject_petition, {"reason": "x"}),
        "close": (services.close_petition, {}),
        "merge": (
            services.merge_petition,
            {"into_tracking_code": UNKNOWN_CODE, "reason": "x"},
        ),
        "request_extension": (services.request_extension, {"days": 5, "reason": "x"}),
        "decide_extension": (services.decide_extension, {"approve": True}),
        "triage": (services.triage_petition, {"agency_id": agency_a.pk}),
    }


@pytest.mark.parametrize("who", ["handler_a", "supervisor_a"])
def test_every_service_refuses_a_foreign_petition_as_it_refuses_an_unknown_id(
    request, who, foreign, agency_a
):
    actor = request.getfixturevalue(who)
    for name, (service, kwargs) in staff_services(actor, actor.user, agency_a).items():
        unknown = anonymised(
            refusal(service, UNKNOWN_ID, actor=actor, **kwargs), UNKNOWN_ID
        )
        for state, petition in foreign.items():
            for version in (petition.version, petition.version - 1, None):
                told = refusal(
                    service,
                    petition.pk,
                    actor=actor,
                    **kwargs,
                    **({"expected_version": version} if version is not None else {}),
                )
                # Same words as for an id that does not exist: no code, no state.
                assert anonymised(told, petition.pk) == unknown, (name, state, told)
                assert petition.tracking_code not in told


def test_bulk_assign_tells_nothing_of_foreign_petitions(
    foreign, supervisor_a, handler_a, staff_client
):
    client = staff_client(supervisor_a)
    picked = [f"{p.pk}:{p.version}" for p in foreign.values()]
    picked += [f"{p.pk}:{p.version + 3}" for p in foreign.values()]  # "stale"
    picked.append(f"{UNKNOWN_ID}:1")

    response = client.post(
        "/work/queue/assign/",
        {"petitions": picked, "handler": handler_a.user.pk},
        follow=True,
    )

    said = [str(m) for m in get_messages(response.wsgi_request)] or re.findall(
        r'<li class="error">(.*?)</li>', response.content.decode(), re.S
    )
    page = response.content.decode()
    for petition in foreign.values():
        assert petition.tracking_code not in page
        assert Petition.objects.get(pk=petition.pk).handler_id != handler_a.user.pk
    for label in ("Đã trả lời", "Đang xử lý", "Đã đóng", "Chờ bổ sung", "changed"):
        assert label not in " ".join(said)
    # One refusal per pick, all worded as the unknown id's.
    unknown = [s for s in said if str(UNKNOWN_ID) in s]
    assert len(unknown) == 1
    shapes = {re.sub(r"\d+", "<n>", s) for s in said}
    assert shapes == {re.sub(r"\d+", "<n>", unknown[0])}


@pytest.mark.parametrize("who", ["handler_a", "supervisor_a"])
@pytest.mark.parametrize("state", ["assigned", "in_progress", "answered", "closed"])
def test_merge_never_reaches_into_another_agency(
    request, who, state, foreign, submit, routed_to_a
):
    actor = request.getfixturevalue(who)
    # B's rule is for Lạng Sơn; A's takes the category anywhere else.
    duplicate = submit(title="A duplicate", province=factories.THAI_NGUYEN)
    assert duplicate.agency.code == "so-tnmt-lang-son"
    target = foreign[state]

    told = refusal(
        services.merge_petition,
        duplicate.pk,
        actor=actor,
        into_tracking_code=target.tracking_code,
        reason="Trùng",
    )
    unknown = refusal(
        services.merge_petition,
        duplicate.pk,
        actor=actor,
        into_tracking_code=UNKNOWN_CODE,
        reason="Trùng",
    )

    # B's open and closed codes alike read as "no such petition".
    assert anonymised(told, target.tracking_code) == anonymised(unknown, UNKNOWN_CODE)
    assert Petition.objects.get(pk=duplicate.pk).state != State.MERGED
    assert Petition.objects.get(pk=target.pk).version == target.version


def test_merge_within_the_agency_still_works(submit, routed_to_a, handler_a):
    first, duplicate = submit(), submit()

    services.merge_petition(
        petition_id=duplicate.pk,
        actor=handler_a,
        into_tracking_code=first.tracking_code,
        reason="Trùng",
    )

    assert Petition.objects.get(pk=duplicate.pk).merged_into_id == first.pk


def test_a_coordinator_merges_a_triage_petition_into_any_agencys(
    submit, routed_to_a, coordinator
):
    at_a = submit()
    waiting = submit(category=factories.category("roads").code)  # no rule: triage
    assert waiting.agency_id is None

    services.merge_petition(
        petition_id=waiting.pk,
        actor=coordinator,
        into_tracking_code=at_a.tracking_code,
        reason="Trùng",
    )

    assert Petition.objects.get(pk=waiting.pk).merged_into_id == at_a.pk
