"""Which actions the case page offers: by role and state, as the services allow."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories
from workflow import services
from workflow.access import Actor
from workflow.models import Action, Petition
from workflow.permissions import (
    RULES,
    SUBMITTER_ACTIONS,
    StaffRoles,
    allowed_actions,
    landing_page,
)


def offered(actor, petition):
    petition = Petition.objects.select_related("agency").get(pk=petition.pk)
    return allowed_actions(StaffRoles.of(actor), petition)


@pytest.fixture
def assigned(submit, routed_to_a):
    return submit()


@pytest.fixture
def in_progress(assigned, handler_a):
    return services.accept_petition(petition_id=assigned.pk, actor=handler_a)


def test_handler_of_the_agency_may_claim_accept_transfer_or_merge(assigned, handler_a):
    assert offered(handler_a, assigned) == [
        "claim",
        "accept",
        "request_extension",
        "transfer",
        "return_to_triage",
        "merge",
    ]


def test_handler_of_another_agency_is_offered_nothing(assigned, handler_b):
    assert offered(handler_b, assigned) == []


def test_supervisor_may_also_assign_and_reject_an_assigned_petition(
    assigned, supervisor_a
):
    actions = offered(supervisor_a, assigned)
    assert {"assign", "reject", "accept"} <= set(actions)
    assert "triage" not in actions


def test_supervisor_of_a_parent_agency_supervises_its_departments(assigned, agency_a):
    committee = factories.agency("ubnd-lang-son")
    agency_a.parent = committee
    agency_a.save()
    chairman = Actor.staff(factories.staff("chairman", "supervisor", committee))
    assert "reject" in offered(chairman, assigned)


def test_in_progress_offers_question_and_answer_but_no_second_claim(
    in_progress, handler_a
):
    actions = offered(handler_a, in_progress)
    assert {"request_info", "answer", "transfer"} <= set(actions)
    # accept_petition gave it to handler_a: nothing left to claim.
    assert "claim" not in actions and "accept" not in actions


def test_only_the_coordinator_triages_and_rejects_in_the_triage_queue(
    submit, coordinator, handler_a, auditor
):
    waiting = submit()
    assert offered(coordinator, waiting) == ["triage", "merge", "reject"]
    assert offered(handler_a, waiting) == []
    assert offered(auditor, waiting) == []


def test_answer_review_is_for_supervisors(
    submit, agency_a, land, handler_a, supervisor_a
):
    reviewed = factories.agency("so-tc", requires_answer_review=True)
    factories.rule(reviewed, category=land)
    petition = submit()
    handler = Actor.staff(factories.staff("handler_tc", "handler", reviewed))
    boss = Actor.staff(factories.staff("boss_tc", "supervisor", reviewed))
    services.accept_petition(petition_id=petition.pk, actor=handler)
    services.answer_petition(petition_id=petition.pk, actor=handler, text="Dự thảo")
    assert {"approve_answer", "return_answer"} <= set(offered(boss, petition))
    assert "approve_answer" not in offered(handler, petition)


def test_an_extension_is_asked_once_and_decided_by_a_supervisor(
    in_progress, handler_a, supervisor_a
):
    services.request_extension(
        petition_id=in_progress.pk, actor=handler_a, days=5, reason="Chờ xác minh"
    )
    assert "request_extension" not in offered(handler_a, in_progress)
    assert "decide_extension" not in offered(handler_a, in_progress)
    assert "decide_extension" in offered(supervisor_a, in_progress)


def test_answered_petitions_offer_only_the_signed_letter(
    in_progress, handler_a, supervisor_a
):
    services.answer_petition(petition_id=in_progress.pk, actor=handler_a, text="Xong")
    assert offered(handler_a, in_progress) == []
    # The supervisor may still issue the answer as a signed PDF letter.
    assert offered(supervisor_a, in_progress) == ["sign_answer"]


def test_admin_is_offered_every_action_of_the_state(assigned):
    admin = get_user_model().objects.create_superuser("root", "r@x.vn", "pw")
    assert "reject" in offered(Actor.staff(admin), assigned)


def test_each_role_lands_on_its_own_page(handler_a, supervisor_a, coordinator, auditor):
    assert landing_page(handler_a) == "workflow:queue"
    assert landing_page(supervisor_a) == "workflow:dashboard"
    assert landing_page(coordinator) == "workflow:queue"
    assert landing_page(auditor) == "workflow:report"


def test_roles_see_the_same_agencies_as_the_actor(
    handler_a, supervisor_a, coordinator, auditor, agency_a
):
    committee = factories.agency("ubnd-lang-son")
    agency_a.parent = committee
    agency_a.save()
    chairman = Actor.staff(factories.staff("chairman", "supervisor", committee))
    for actor in (handler_a, supervisor_a, coordinator, auditor, chairman):
        expected = actor.visible_agency_ids()
        visible = StaffRoles.of(actor).visible
        assert (None if visible is None else sorted(visible)) == expected


# --- the rules table and the lifecycle's transitions say the same ---

# A transition carries its action's name, except `answer` (the answer's field has it).
TRANSITION_NAMES = {Action.ANSWER: "answer_petition"}


def transition_sources() -> dict[str, set[str]]:
    """Each django-fsm transition of Petition, with the states it leaves from."""
    sources: dict[str, set[str]] = {}
    for transition in Petition._meta.get_field("state").get_all_transitions(Petition):
        sources.setdefault(transition.name, set()).add(transition.source)
    return sources


def test_every_transition_is_an_action_of_staff_or_of_the_submitter():
    actions = {TRANSITION_NAMES.get(action, action): action for action in Action}
    for name in transition_sources():
        assert name in actions, f"the transition {name} has no Action"
        action = actions[name]
        assert action in RULES or action in SUBMITTER_ACTIONS, action


def test_each_staff_rule_allows_exactly_the_states_its_transition_leaves():
    sources = transition_sources()
    for action, states in RULES.items():
        name = TRANSITION_NAMES.get(action, action)
        # A step that moves no state (claim, assign, extensions, posting) has no
        # transition to agree with.
        if name in sources:
            # Offered in a state the transition refuses, or not offered where it
            # would work: the page and the lifecycle would disagree.
            assert set(states) == sources[name], action
