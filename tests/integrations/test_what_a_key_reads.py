"""A key reads what its own integration filed and nothing else; Open311's public
lists show only what /answers/ shows (issue 9, items 3 and 5)."""

import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from feedback.integrations.keys import issue_api_key
from tests import factories
from workflow import services
from workflow.models import Integration, Petition, State

V2 = "/open311/v2"
# What a submitter wrote about themselves into the text, as they often do.
PERSONAL = (
    "Tôi là Nguyễn Văn An, số CCCD 001234567890, điện thoại 0912 345 678, "
    "thư an.nguyen@example.vn. Đèn đường trước nhà không sáng."
)


def key_of(name, **options):
    return issue_api_key(name=name, now=timezone.now(), **options)[1]


@pytest.fixture
def other_key(db):
    """A key of another integration."""
    return key_of("tinh-lang-son")


def api_get(client, code, key):
    return client.get(
        f"/api/v1/petitions/{code}", headers={"Authorization": f"Bearer {key}"}
    )


def file_open311(client, key, land, **overrides):
    params = {
        "api_key": key,
        "service_code": land.code,
        "first_name": "Văn An",
        "last_name": "Nguyễn",
        "email": "an@example.vn",
        "phone": "0912345678",
        "description": PERSONAL,
        "attribute[province]": str(factories.LANG_SON),
        "attribute[commune]": str(factories.commune_of().code),
        "attribute[publish_consent]": "true",
        **overrides,
    }
    response = client.post(f"{V2}/requests.json", params)
    assert response.status_code == 201, response.content
    return response.json()[0]["service_request_id"]


# --- 9.5: the intake API -----------------------------------------------------------


def test_a_key_reads_its_integrations_petitions_and_no_others(
    client, post_petition, portal_key, other_key
):
    code = post_petition().json()["tracking_code"]

    own = api_get(client, code, portal_key)
    foreign = api_get(client, code, other_key)
    unknown = api_get(client, "NOSUCHCODE", other_key)

    assert own.status_code == 200
    # Another integration's petition is answered exactly as an unknown code.
    assert (foreign.status_code, unknown.status_code) == (404, 404)
    assert foreign.json()["error"] == unknown.json()["error"] == "not_found"
    assert foreign.json()["message"].replace(code, "X") == unknown.json()[
        "message"
    ].replace("NOSUCHCODE", "X")
    assert "Nguyễn" not in foreign.content.decode()


def test_a_petition_records_the_integration_whose_key_filed_it(
    client, post_petition, portal_key, land
):
    open311_key = key_of("open311-app")
    api_code = post_petition().json()["tracking_code"]
    open311_code = file_open311(client, open311_key, land)

    assert Petition.objects.get(tracking_code=api_code).integration.name == "portal"
    open311 = Petition.objects.get(tracking_code=open311_code)
    assert (open311.channel, open311.integration.name) == ("open311", "open311-app")
    # Not the API's: it reads only what its own integration filed.
    assert api_get(client, open311_code, portal_key).status_code == 404


def test_a_second_key_of_the_same_integration_reads_its_petitions(
    client, post_petition
):
    code = post_petition().json()["tracking_code"]
    new_key = key_of("portal-2027", integration="portal")

    assert api_get(client, code, new_key).status_code == 200


def test_two_integrations_using_the_same_id_file_two_petitions(
    post_petition, other_key
):
    first = post_petition()
    other = post_petition(key=other_key)
    again = post_petition()

    assert (first.status_code, other.status_code, again.status_code) == (
        201,
        201,
        200,
    )
    # Neither learns of the other's petition; each repeat finds its own.
    assert other.json()["tracking_code"] != first.json()["tracking_code"]
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert Petition.objects.filter(channel_ref="DVC-2026-000001").count() == 2


def test_a_refused_repeat_never_returns_another_integrations_petition(
    post_petition, other_key, land
):
    post_petition()
    land.is_active = False
    land.save()

    response = post_petition(key=other_key)

    assert response.status_code == 400
    assert "tracking_code" not in response.json()


# --- 9.3: Open311 reads ------------------------------------------------------------


def test_the_public_list_shows_what_answers_shows_and_nothing_of_the_submitter(
    client, land, handler_a, routed_to_a, publish
):
    code = file_open311(client, key_of("open311-app"), land)
    petition = Petition.objects.get(tracking_code=code)
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(
        petition_id=petition.pk,
        actor=handler_a,
        text="Kính gửi ông Nguyễn Văn An (0912 345 678): đèn đã được thay.",
    )
    publish(petition)

    for fmt in ("json", "xml"):
        for url in (f"{V2}/requests.{fmt}", f"{V2}/requests/{code}.{fmt}"):
            body = client.get(url).content.decode()
            assert code in body
            for secret in (
                "Nguyễn Văn An",
                "001234567890",
                "0912 345 678",
                "0912345678",
                "an.nguyen@example.vn",
                "an@example.vn",
                factories.commune_of().name,
            ):
                assert secret not in body, (url, secret)
    [shown] = client.get(f"{V2}/requests/{code}.json").json()
    # Masked the way /answers/ masks it, and the matter still readable.
    assert "Đèn đường trước nhà không sáng." in shown["description"]
    assert "đèn đã được thay" in shown["status_notes"]
    assert shown["address"] == factories.province().name


def test_the_integration_that_filed_a_request_reads_it_in_full(client, land):
    key = key_of("open311-app")
    code = file_open311(client, key, land, **{"attribute[publish_consent]": "false"})

    [own] = client.get(f"{V2}/requests/{code}.json", {"api_key": key}).json()
    listed = client.get(f"{V2}/requests.json", {"api_key": key}).json()

    assert own["description"] == PERSONAL
    assert own["address"] == (
        f"{factories.commune_of().name}, {factories.province().name}"
    )
    assert [r["service_request_id"] for r in listed] == [code]


def test_another_key_sees_a_published_request_masked_and_a_private_one_not_at_all(
    client, land, other_key
):
    key = key_of("open311-app")
    published = file_open311(client, key, land, external_id="a-1")
    private = file_open311(
        client, key, land, external_id="a-2", **{"attribute[publish_consent]": "false"}
    )

    seen = client.get(f"{V2}/requests.json", {"api_key": other_key}).json()
    single = client.get(f"{V2}/requests/{private}.xml", {"api_key": other_key})

    assert [r["service_request_id"] for r in seen] == [published]
    assert "001234567890" not in seen[0]["description"]
    assert single.status_code == 404
    assert ET.fromstring(single.content).findtext("error/code") == "404"


def test_a_rejections_text_is_not_shown_to_the_public(client, land, coordinator):
    key = key_of("open311-app")
    code = file_open311(client, key, land)
    services.reject_petition(
        petition_id=Petition.objects.get(tracking_code=code).pk,
        actor=coordinator,
        reason="Ông Nguyễn Văn An (0912 345 678) gửi khiếu nại, không phải phản ánh.",
        redirect_hint="Gửi đơn theo Luật Khiếu nại.",
    )

    [shown] = client.get(f"{V2}/requests/{code}.json").json()

    # A rejection is never published, so its staff-written reason (which may
    # quote the submitter) stays with the submitter; the public reads its state.
    assert shown["status"] == "closed"
    assert shown["status_notes"] == str(State.REJECTED.label)
    assert "Nguyễn Văn An" not in str(shown) and "Khiếu nại" not in str(shown)
    own = client.get(f"{V2}/requests/{code}.json", {"api_key": key}).json()
    assert "Luật Khiếu nại" in own[0]["status_notes"]


def test_a_token_names_only_the_callers_own_external_id(client, land, other_key):
    key = key_of("open311-app")
    code = file_open311(client, key, land, external_id="app-7")

    own = client.get(f"{V2}/tokens/app-7.json", {"api_key": key})
    foreign = client.get(f"{V2}/tokens/app-7.json", {"api_key": other_key})
    anonymous = client.get(f"{V2}/tokens/app-7.json")

    assert own.json() == [{"service_request_id": code, "token": "app-7"}]
    assert (foreign.status_code, anonymous.status_code) == (404, 404)


# --- petitions filed before integrations were recorded -----------------------------


def test_the_operator_attributes_older_petitions_to_an_integration(
    client, submit, land
):
    old = submit(channel="portal", channel_ref="DVC-OLD")
    key = key_of("cong-dvc")
    assert api_get(client, old.tracking_code, key).status_code == 404
    out = StringIO()

    call_command("attribute_petitions", "cong-dvc", "--channel", "portal", stdout=out)

    assert "1 petitions given to cong-dvc." in out.getvalue()
    assert api_get(client, old.tracking_code, key).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_key_an_integration_and_old_petitions_to_a_lone_one(
    land,
):
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    # Every app as it is, but the keys from before they had integrations.
    before = [node for node in after if node[0] != "integrations"]
    before.append(("integrations", "0001_api_keys"))
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        ApiKey = apps.get_model("integrations", "ApiKey")
        OldPetition = apps.get_model("workflow", "Petition")
        ApiKey.objects.create(
            name="cong-dvc",
            prefix="abcdefgh",
            key_hash="0" * 64,
            created_at=timezone.now(),
        )
        for channel, ref in (("portal", "DVC-1"), ("open311", "o-1"), ("web", None)):
            OldPetition.objects.create(
                tracking_code=f"OLD{channel[:4].upper()}",
                secret_hash="x",
                submitter_kind="citizen",
                submitter_name="An",
                email="an@example.vn",
                title="t",
                content="c",
                category_id=land.pk,
                province_id=factories.province().pk,
                channel=channel,
                channel_ref=ref,
                received_at=timezone.now(),
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)

    integration = Integration.objects.get()
    assert integration.name == "cong-dvc"
    assert integration.api_keys.get().name == "cong-dvc"
    # The only key filed every machine-door petition; the web form's has none.
    assert dict(Petition.objects.values_list("channel", "integration")) == {
        "portal": integration.pk,
        "open311": integration.pk,
        "web": None,
    }
