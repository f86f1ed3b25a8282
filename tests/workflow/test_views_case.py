"""The case page: who may open it, the forms it offers, and what posting them does."""

import json

import pytest

from tests import factories
from workflow import services
from workflow.deadlines import VIETNAM
from workflow.models import AnswerTemplate, Extension, HistoryEntry, Petition, State


def url(petition, action=""):
    return f"/work/petitions/{petition.tracking_code}/" + (
        f"{action}/" if action else ""
    )


def refetch(petition):
    return Petition.objects.get(pk=petition.pk)


@pytest.fixture
def assigned(submit, routed_to_a):
    return submit()


@pytest.fixture
def in_progress(assigned, handler_a):
    return services.accept_petition(petition_id=assigned.pk, actor=handler_a)


def test_anonymous_visitor_is_sent_to_login(client, assigned):
    response = client.get(url(assigned))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(url(assigned, "accept"), {}).status_code == 302
    assert refetch(assigned).state == State.ASSIGNED


def test_handler_of_another_agency_gets_404_never_the_case(
    assigned, handler_b, staff_client
):
    client = staff_client(handler_b)
    assert client.get(url(assigned)).status_code == 404
    response = client.post(url(assigned, "accept"), {"accept-version": 1})
    assert response.status_code == 404
    assert refetch(assigned).state == State.ASSIGNED


def test_unknown_code_and_unknown_action_are_404(assigned, handler_a, staff_client):
    client = staff_client(handler_a)
    assert client.get("/work/petitions/NOSUCHCODE/").status_code == 404
    assert client.post(url(assigned, "explode"), {}).status_code == 404


def test_case_page_shows_content_deadlines_history_and_allowed_forms(
    assigned, handler_a, staff_client
):
    page = staff_client(handler_a).get(url(assigned)).content.decode()
    assert assigned.title in page and assigned.content in page
    assert "Lịch sử xử lý" in page  # the history table's caption
    assert "Đồng hồ thời hạn" in page  # the clocks table
    for action in ("claim", "accept", "transfer", "return_to_triage", "merge"):
        assert f'action="{url(assigned, action)}"' in page
    # A handler is not offered the supervisor's actions.
    for action in ("reject", "assign", "triage"):
        assert f'action="{url(assigned, action)}"' not in page


def test_accept_redirects_back_to_the_case_after_the_change(
    assigned, handler_a, staff_client
):
    response = staff_client(handler_a).post(
        url(assigned, "accept"), {"accept-version": assigned.version}
    )
    assert response.status_code == 302 and response["Location"] == url(assigned)
    petition = refetch(assigned)
    assert petition.state == State.IN_PROGRESS and petition.handler == handler_a.user


def test_a_stale_page_is_refused_and_changes_nothing(assigned, handler_a, staff_client):
    stale = assigned.version
    services.claim_petition(petition_id=assigned.pk, actor=handler_a)
    response = staff_client(handler_a).post(
        url(assigned, "transfer"),
        {
            "transfer-version": stale,
            "transfer-agency": factories.agency("so-yt").pk,
            "transfer-reason": "Không thuộc thẩm quyền",
            "transfer-confirm": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    # The service's refusal in the page's language (Vietnamese by default).
    assert "đã thay đổi trong lúc bạn xem trang" in page
    # What was typed comes back, with the current version for a deliberate resend.
    assert "Không thuộc thẩm quyền" in page
    assert f'name="transfer-version" value="{refetch(assigned).version}"' in page
    assert refetch(assigned).agency_id == assigned.agency_id


def test_a_refusal_on_an_english_page_is_in_english(assigned, handler_a, staff_client):
    stale = assigned.version
    services.claim_petition(petition_id=assigned.pk, actor=handler_a)
    response = staff_client(handler_a).post(
        url(assigned, "accept"),
        {"accept-version": stale},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f"Petition {assigned.tracking_code} changed meanwhile" in page
    assert "đã thay đổi" not in page


@pytest.mark.parametrize("version", ["abc", "1.5", "²", None])
def test_a_page_without_its_version_is_told_to_reload(
    assigned, handler_a, staff_client, version
):
    form = {} if version is None else {"claim-version": version}
    response = staff_client(handler_a).post(url(assigned, "claim"), form)

    assert response.status_code == 400
    assert "vui lòng tải lại trang" in response.content.decode()
    assert refetch(assigned).handler_id is None


def test_missing_reason_is_a_field_error_and_nothing_changes(
    assigned, handler_a, staff_client
):
    response = staff_client(handler_a).post(
        url(assigned, "return_to_triage"),
        {"return_to_triage-version": assigned.version, "return_to_triage-reason": ""},
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert refetch(assigned).state == State.ASSIGNED


def test_action_the_role_may_not_take_is_refused_with_the_reason(
    assigned, handler_a, staff_client
):
    response = staff_client(handler_a).post(
        url(assigned, "reject"),
        {
            "reject-version": assigned.version,
            "reject-reason": "Ngoài phạm vi",
            "reject-confirm": "on",
        },
    )
    assert response.status_code == 400
    assert "Chỉ lãnh đạo của đơn vị được giao phản ánh" in response.content.decode()
    assert refetch(assigned).state == State.ASSIGNED
    # An English page gives the same reason in English.
    response = staff_client(handler_a).post(
        url(assigned, "reject"),
        {
            "reject-version": assigned.version,
            "reject-reason": "Ngoài phạm vi",
            "reject-confirm": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Only a" in response.content.decode()


def test_handler_asks_a_question_then_answers(
    in_progress, handler_a, citizen, staff_client
):
    client = staff_client(handler_a)
    client.post(
        url(in_progress, "request_info"),
        {
            "request_info-version": refetch(in_progress).version,
            "request_info-question": "Xin số thửa đất?",
        },
    )
    assert refetch(in_progress).state == State.AWAITING_INFO
    services.provide_information(
        petition_id=in_progress.pk, actor=citizen, text="Thửa số 12."
    )
    client.post(
        url(in_progress, "answer"),
        {
            "answer-version": refetch(in_progress).version,
            "answer-answer": "Đã sửa đường.",
        },
    )
    petition = refetch(in_progress)
    assert petition.state == State.ANSWERED and petition.answer == "Đã sửa đường."
    page = client.get(url(in_progress)).content.decode()
    assert "Thửa số 12." in page and "Xin số thửa đất?" in page


def test_answer_form_offers_the_categorys_templates(
    in_progress, handler_a, land, staff_client
):
    AnswerTemplate.objects.create(
        category=land, title="Đã chuyển địa phương", body="Kính gửi ông/bà…"
    )
    page = staff_client(handler_a).get(url(in_progress)).content.decode()
    assert "Đã chuyển địa phương" in page
    # The bodies travel as JSON for the few lines of script that fill the answer.
    assert 'id="answer-templates"' in page
    assert json.dumps("Kính gửi ông/bà…") in page


def test_supervisor_rejects_with_where_to_turn(assigned, supervisor_a, staff_client):
    staff_client(supervisor_a).post(
        url(assigned, "reject"),
        {
            "reject-version": assigned.version,
            "reject-reason": "Đây là khiếu nại",
            "reject-redirect_hint": "Gửi theo Luật Khiếu nại",
            "reject-confirm": "on",
        },
    )
    petition = refetch(assigned)
    assert petition.state == State.REJECTED
    assert petition.redirect_hint == "Gửi theo Luật Khiếu nại"


def test_coordinator_triages_from_the_case_page(
    submit, coordinator, agency_a, staff_client
):
    waiting = submit()
    staff_client(coordinator).post(
        url(waiting, "triage"),
        {"triage-version": waiting.version, "triage-agency": agency_a.pk},
    )
    assert refetch(waiting).agency == agency_a


def test_merge_into_an_unknown_code_says_so_on_the_field(
    assigned, handler_a, staff_client
):
    response = staff_client(handler_a).post(
        url(assigned, "merge"),
        {
            "merge-version": assigned.version,
            "merge-into": "ZZZZZZZZZZ",
            "merge-reason": "Trùng",
            "merge-confirm": "on",
        },
    )
    assert response.status_code == 400
    assert "Không có phản ánh nào khác có mã ZZZZZZZZZZ" in response.content.decode()


def test_extension_is_requested_by_the_handler_and_approved_by_the_supervisor(
    in_progress, handler_a, supervisor_a, staff_client
):
    staff_client(handler_a).post(
        url(in_progress, "request_extension"),
        {
            "request_extension-version": refetch(in_progress).version,
            "request_extension-days": 5,
            "request_extension-reason": "Cần xác minh thực địa",
        },
    )
    assert Extension.objects.get(petition=in_progress).status == "pending"
    page = staff_client(supervisor_a).get(url(in_progress)).content.decode()
    assert f'action="{url(in_progress, "decide_extension")}"' in page
    staff_client(supervisor_a).post(
        url(in_progress, "decide_extension"),
        {
            "decide_extension-version": refetch(in_progress).version,
            "decide_extension-decision": "approve",
        },
    )
    assert Extension.objects.get(petition=in_progress).status == "approved"


def test_the_extension_form_offers_what_the_service_allows_and_no_more(
    in_progress, handler_a, staff_client
):
    client = staff_client(handler_a)
    page = client.get(url(in_progress)).content.decode()
    assert f'max="{services.MAX_EXTENSION_DAYS}"' in page
    response = client.post(
        url(in_progress, "request_extension"),
        {
            "request_extension-version": refetch(in_progress).version,
            "request_extension-days": services.MAX_EXTENSION_DAYS + 1,
            "request_extension-reason": "Cần xác minh thực địa",
        },
    )
    # Refused by the form, naming the service's limit: nothing is asked.
    assert response.status_code == 400
    form = next(f for f, _label in response.context["forms"] if f.is_bound)
    assert str(services.MAX_EXTENSION_DAYS) in form.errors["days"][0]
    assert not Extension.objects.filter(petition=in_progress).exists()


def test_history_shows_actor_reason_and_local_time(
    assigned, handler_a, coordinator, staff_client
):
    services.return_to_triage(
        petition_id=assigned.pk, actor=handler_a, reason="Không thuộc thẩm quyền"
    )
    entry = HistoryEntry.objects.filter(petition=assigned).order_by("-seq").first()
    # The agency let it go: its handler no longer sees it; the coordinator does.
    assert staff_client(handler_a).get(url(assigned)).status_code == 404
    page = staff_client(coordinator).get(url(assigned)).content.decode()
    assert entry.actor_label == "Handler_A (handler)"  # as stored and hashed
    assert "Không thuộc thẩm quyền" in page and "Handler_A (Cán bộ xử lý)" in page
    assert entry.at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") in page


def test_the_history_names_actors_in_the_readers_language_as_stored_hashes_stay(
    in_progress, handler_a, citizen, land, staff_client
):
    services.request_information(
        petition_id=in_progress.pk, actor=handler_a, question="Số nhà?"
    )
    services.provide_information(petition_id=in_progress.pk, actor=citizen, text="12")
    land.name_en = "Land and environment"
    land.save()
    client = staff_client(handler_a)
    page = client.get(url(in_progress)).content.decode()
    history = page[page.index('id="history"') :]
    # Stored as "submitter", "system" and "Handler_A (handler)"; read in Vietnamese.
    assert "Người gửi" in history and "Hệ thống" in history
    assert "(Cán bộ xử lý)" in history
    for english in (">submitter<", ">system<", "(handler)", "(supervisor)"):
        assert english not in history
    # The submitter's own step is not listed under the agency's name.
    row = history[history.index("Người gửi bổ sung thông tin") :].split("</tr>")[0]
    assert in_progress.agency.name not in row
    # The stored labels themselves are unchanged (they are hashed).
    labels = set(
        HistoryEntry.objects.filter(petition=in_progress).values_list(
            "actor_label", flat=True
        )
    )
    assert "submitter" in labels and "system" in labels
    # In English the category reads in English.
    client.cookies["django_language"] = "en"
    english = client.get(url(in_progress), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Land and environment" in english
    assert "<td>Sender</td>" in english[english.index('id="history"') :]


def test_steps_hard_to_undo_look_apart_and_need_a_tick(
    assigned, handler_a, staff_client
):
    client = staff_client(handler_a)
    page = client.get(url(assigned)).content.decode()

    # Transfer and merge are marked and carry a confirmation box; accepting is not.
    def section(action):
        start = page.rindex("<section", 0, page.index(f'"action-{action}"'))
        return page[start : page.index("</section>", start)]

    for action in ("transfer", "merge", "return_to_triage"):
        assert "hard-to-undo" in section(action).split(">")[0]
        assert f'name="{action}-confirm"' in section(action)
        assert 'class="danger"' in section(action)
    assert "hard-to-undo" not in section("accept").split(">")[0]
    assert 'name="accept-confirm"' not in page
    # Without the tick the transfer is refused, the typed text kept, nothing moved.
    response = client.post(
        url(assigned, "transfer"),
        {
            "transfer-version": assigned.version,
            "transfer-agency": factories.agency("so-yt").pk,
            "transfer-reason": "Không thuộc thẩm quyền",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "đánh dấu ô xác nhận" in text and "Không thuộc thẩm quyền" in text
    assert refetch(assigned).agency_id == assigned.agency_id
    assert refetch(assigned).transfer_count == 0


def test_a_transfer_out_of_sight_lands_on_the_queue_with_its_confirmation(
    in_progress, handler_a, agency_b, staff_client
):
    # The case page would be 404 for a handler who no longer sees the case.
    client = staff_client(handler_a)
    response = client.post(
        url(in_progress, "transfer"),
        {
            "transfer-version": refetch(in_progress).version,
            "transfer-agency": agency_b.pk,
            "transfer-reason": "Thuộc thẩm quyền Sở Xây dựng",
            "transfer-confirm": "on",
        },
        follow=True,
    )
    assert response.redirect_chain == [("/work/queue/", 302)]
    assert response.status_code == 200
    assert "Đã thực hiện: Chuyển đơn vị khác." in response.content.decode()
    assert refetch(in_progress).agency == agency_b
