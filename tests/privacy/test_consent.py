"""Consent: per purpose, unticked, under the notice shown; withdrawal unpublishes."""

import json

import pytest
from django.utils import timezone

from feedback.integrations.keys import issue_api_key
from workflow.audit import verify_history
from workflow.models import HistoryEntry, Petition
from workflow.privacy.consent import current_notices
from workflow.privacy.models import Consent, ConsentNotice


def test_the_form_shows_both_notices_with_their_boxes_unticked(client, land):
    response = client.get("/")
    page = response.content.decode()
    notices = current_notices()
    assert notices["processing"].text_vi in page
    assert notices["publication"].text_vi in page
    for name in ("processing_consent", "publish_consent"):
        box = page[
            page.index(f'name="{name}"') - 80 : page.index(f'name="{name}"') + 80
        ]
        # Never preselected (Decree 356/2025 art. 6: no consent by default).
        assert "checked" not in box
    assert f'name="processing_notice" value="{notices["processing"].pk}"' in page


def test_a_petition_without_consent_to_processing_is_not_filed(client, form_data):
    form_data.pop("processing_consent")
    response = client.post("/", form_data)
    assert response.status_code == 400
    assert "processing_consent" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_each_consent_is_stored_with_its_notice_version_and_time(client, form_data):
    form_data["publish_consent"] = "on"
    response = client.post("/", form_data)
    assert response.status_code == 200
    petition = Petition.objects.get()
    consents = {c.purpose: c for c in Consent.objects.filter(petition=petition)}
    notices = current_notices()
    assert consents["processing"].notice == notices["processing"]
    assert consents["publication"].notice == notices["publication"]
    assert consents["processing"].basis == Consent.Basis.FORM
    assert consents["processing"].given_at == petition.received_at
    assert petition.publish_consent is True


def test_no_publication_consent_is_recorded_when_the_box_is_left_empty(
    client, form_data
):
    client.post("/", form_data)
    petition = Petition.objects.get()
    assert petition.publish_consent is False
    assert list(
        Consent.objects.filter(petition=petition).values_list("purpose", flat=True)
    ) == ["processing"]


def test_a_box_ticked_under_a_notice_replaced_meanwhile_must_be_ticked_again(
    client, form_data
):
    newer = ConsentNotice.objects.create(
        purpose="processing",
        version=3,
        text_vi="Thông báo mới về xử lý dữ liệu.",
        text_en="A new processing notice.",
        published_at=timezone.now(),
    )
    response = client.post("/", form_data)  # still carries version 1
    assert response.status_code == 400
    assert not Petition.objects.exists()
    page = response.content.decode()
    # The new text is shown, with its id, and the box is empty again.
    assert newer.text_vi in page
    assert f'name="processing_notice" value="{newer.pk}"' in page
    box = page[page.index('name="processing_consent"') - 80 :][:160]
    assert "checked" not in box
    form_data["processing_notice"] = str(newer.pk)
    assert client.post("/", form_data).status_code == 200
    assert Consent.objects.get(purpose="processing").notice == newer


def test_the_portal_records_consent_given_in_its_own_flow(client, land):
    _, key = issue_api_key(name="portal", now=timezone.now())
    body = {
        "external_id": "DVC-1",
        "submitter": {"name": "Nguyễn Văn An", "email": "an@example.vn"},
        "title": "Đường hỏng",
        "content": "Đề nghị sửa.",
        "category": land.code,
        "province": 20,
        "publish_consent": True,
        "consent_reference": "DVC-TB-DLCN-2026-01",
    }
    response = client.post(
        "/api/v1/petitions",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201, response.content
    rows = Consent.objects.filter(petition__channel_ref="DVC-1").order_by("purpose")
    assert [(c.purpose, c.basis, c.reference, c.notice) for c in rows] == [
        ("processing", "portal", "DVC-TB-DLCN-2026-01", None),
        ("publication", "portal", "DVC-TB-DLCN-2026-01", None),
    ]


def test_open311_records_the_clients_consent_as_its_door_carries_it(submit):
    petition = submit(channel="open311")
    [row] = Consent.objects.filter(petition=petition)
    assert (row.purpose, row.basis) == ("processing", "open311")


@pytest.fixture
def published(answered, verified, publish):
    petition, secret = answered(publish_consent=True, title="Cầu treo qua suối hỏng")
    publish(petition)
    verified(petition, secret)
    return petition


def test_withdrawing_publication_consent_unpublishes_everywhere(client, published):
    assert "Cầu treo qua suối hỏng" in client.get("/answers/").content.decode()
    response = client.post(f"/track/{published.tracking_code}/unpublish/")
    assert response.status_code == 302
    petition = Petition.objects.get(pk=published.pk)
    assert petition.publish_consent is False
    consent = Consent.objects.get(petition=petition, purpose="publication")
    assert consent.withdrawn_at is not None
    # Neither the answers page nor the Open311 list shows it any more.
    assert "Cầu treo qua suối hỏng" not in client.get("/answers/").content.decode()
    listed = client.get("/open311/v2/requests.json").json()
    assert published.tracking_code not in json.dumps(listed)
    # The withdrawal is a step of the history, and the chain still verifies.
    assert HistoryEntry.objects.filter(
        petition=petition, action="withdraw_publication"
    ).exists()
    assert list(verify_history([petition.pk])) == []


def test_withdrawal_is_offered_only_while_published(client, published):
    client.post(f"/track/{published.tracking_code}/unpublish/")
    page = client.get(f"/track/{published.tracking_code}/").content.decode()
    assert f"/track/{published.tracking_code}/unpublish/" not in page
    # A second withdrawal changes nothing and says why.
    response = client.post(f"/track/{published.tracking_code}/unpublish/")
    assert response.status_code == 302
    assert (
        HistoryEntry.objects.filter(
            petition=published, action="withdraw_publication"
        ).count()
        == 1
    )


def test_the_notice_in_force_names_every_kind_of_data_how_long_and_whom_to_ask(db):
    # Law 91/2025 art. 13: the subject is told what is processed, by whom, for how
    # long and how to exercise their rights before consenting.
    from workflow.privacy.consent import current_notices

    notice = current_notices()["processing"]
    assert notice.version == 2
    for told in ("địa chỉ bưu chính", "vị trí trên bản đồ", "5 năm", "nhà cung cấp"):
        assert told in notice.text_vi, told
    assert "2 working days" in notice.text_en
    # Consents given under version 1 keep naming it.
    assert ConsentNotice.objects.filter(purpose="processing", version=1).exists()
