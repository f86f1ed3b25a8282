"""The intake API keeps the promises of its OpenAPI document (schemathesis).

The document carries the codes the API takes (categories, provinces, the communes
of each province) and its rules between fields, so that data generated from it
alone reaches the intake service: positive bodies must be accepted (201, or 200
for a repeated external_id) and negative ones refused, with no 5xx and every
response as documented. Examples per operation: SCHEMATHESIS_EXAMPLES (25 here;
`bench/fuzz_api.py` runs hundreds against gunicorn).
"""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from feedback.integrations.fields import parse_petition
from feedback.integrations.keys import issue_api_key
from tests.factories import LANG_SON
from workflow import services

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
    ignored_auth,
]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))


@pytest.fixture
def inside_the_test_transaction(db):
    """Keep schemathesis's WSGI calls inside the test's transaction.

    Django's WSGI handler closes "old" connections around each request, which
    would end the transaction the test runs in; Django's test client disconnects
    the same signals.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def filed(inside_the_test_transaction, land, routed_to_a):
    """A key, and a petition its integration filed (GET's codes find it at times)."""
    api_key, key = issue_api_key(name="portal", now=timezone.now())
    petition = services.submit_petition(
        channel="portal",
        integration_id=api_key.integration_id,
        channel_ref="DVC-1",
        submitter_kind="citizen",
        submitter_name="Nguyễn Văn An",
        email="an@example.vn",
        title="Đường liên xã xuống cấp",
        content="Đề nghị sửa chữa.",
        category=land.code,
        province=LANG_SON,
    ).petition
    return key, petition


# (path, method, generation modes): every operation of the document.
OPERATIONS = [
    ("/api/v1/petitions", "POST", ("positive", "negative")),
    ("/api/v1/petitions/{tracking_code}", "GET", ("positive", "negative")),
    ("/api/v1/categories", "GET", ("positive",)),
    ("/api/v1/provinces", "GET", ("positive",)),
    ("/api/v1/provinces/{province}/communes", "GET", ("positive", "negative")),
]


@pytest.mark.parametrize(
    "path, method, mode",
    [(path, method, mode) for path, method, modes in OPERATIONS for mode in modes],
)
def test_the_api_answers_as_its_schema_says(filed, path, method, mode):
    key, petition = filed
    # The served document, read now that the test's data exist: it lists their
    # codes (loaded at collection it would find no database).
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema", WSGIHandler())
    schema.config.generation.update(allow_x00=False)
    operation = schema[path][method]

    @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
    # One key, one category and one transaction for the whole run, rolled back
    # after it.
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case):
        tracking_code = (case.path_parameters or {}).get("tracking_code")
        if mode == "positive" and tracking_code and len(tracking_code) % 2 == 0:
            # Random codes are never found: every other positive case asks for
            # one that exists, so that 200 is checked against the schema too.
            case.path_parameters["tracking_code"] = petition.tracking_code
        case.call_and_validate(
            headers={"Authorization": f"Bearer {key}"}, checks=CHECKS
        )

    answers_as_documented()


def test_the_schema_lists_the_codes_and_an_example_the_api_accepts(client, land):
    document = client.get("/api/v1/schema").json()

    assert document["openapi"].startswith("3.")
    body = document["paths"]["/api/v1/petitions"]["post"]["requestBody"]
    example = body["content"]["application/json"]["example"]
    # The example passes the same shape checks as a real delivery.
    assert parse_petition(example)[1] == {}
    assert example["province"] == LANG_SON
    new = document["components"]["schemas"]["NewPetition"]
    assert new["properties"]["category"]["enum"] == ["land"]
    assert len(new["properties"]["province"]["enum"]) == 34
    # Each province's branch lists its own communes, and null for none.
    lang_son = next(
        branch["properties"]["commune"]["enum"]
        for branch in new["anyOf"]
        if branch["properties"]["province"]["enum"] == [LANG_SON]
    )
    served = client.get(f"/api/v1/provinces/{LANG_SON}/communes").json()["communes"]
    assert lang_son == [c["code"] for c in served] + [None]


def test_the_schema_states_the_validators_rules(client, db):
    schemas = client.get("/api/v1/schema").json()["components"]["schemas"]
    submitter = schemas["Submitter"]

    email = submitter["properties"]["email"]
    assert {"format": "email"} in email["anyOf"]
    # An e-mail address or a phone number: two branches, one of them required.
    contact, business = submitter["allOf"]
    assert [branch["required"] for branch in contact["anyOf"]] == [
        ["email"],
        ["phone"],
    ]
    assert business["anyOf"][1]["required"] == ["tax_code"]
    assert submitter["properties"]["tax_code"]["pattern"].startswith("^")
    assert submitter["properties"]["phone"]["pattern"].startswith("^")


def test_the_codes_are_served_without_a_key(client, land):
    categories = client.get("/api/v1/categories")
    provinces = client.get("/api/v1/provinces").json()["provinces"]

    assert categories.json() == {
        "categories": [{"code": "land", "name": "Category land", "name_en": "land"}]
    }
    assert "public" in categories["Cache-Control"]
    assert {"code": LANG_SON, "name": provinces[0]["name"]} in provinces or any(
        p["code"] == LANG_SON for p in provinces
    )
    assert client.get("/api/v1/provinces/99999/communes").status_code == 404
    assert client.get("/api/v1/provinces/٢٠/communes").status_code == 400


def test_the_codes_are_read_once_and_follow_a_change_of_the_reference_data(
    client, land, django_assert_max_num_queries
):
    from workflow.models import Category

    client.get("/api/v1/categories")  # read once for this version of the data
    with django_assert_max_num_queries(2):  # the version number per request, no more
        client.get("/api/v1/schema")
        client.get(f"/api/v1/provinces/{LANG_SON}/communes")

    Category.objects.create(code="roads", name="Đường sá", name_en="Roads")
    served = client.get("/api/v1/categories").json()["categories"]

    assert [c["code"] for c in served] == ["land", "roads"]
