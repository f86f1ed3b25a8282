"""The intake API keeps the promises of its OpenAPI document (schemathesis)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from feedback.integrations.fields import parse_petition
from tests.factories import LANG_SON

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


EXISTING = "<existing>"

# Loaded at collection, before any test database exists: the schema endpoint
# reads nothing from the database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema", WSGIHandler())
schema.config.generation.update(max_examples=25)


@schema.hook
def map_case(context, case):
    """Point valid bodies at data that exists, so that petitions get created.

    Random category codes and email addresses are almost never real; without this
    every valid body would end in 400 and the 201/200 answers go untested. Bodies
    generated to break the schema are left as they are.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return case
    if isinstance(case.body, dict) and isinstance(case.body.get("submitter"), dict):
        case.body.update(category="land", province=LANG_SON, commune=None)
        case.body["submitter"].update(kind="citizen", email="an@example.vn")
    if case.method == "GET" and case.path_parameters:
        # Random codes are never found; the test puts in one that exists.
        case.path_parameters["tracking_code"] = EXISTING
    return case


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
def a_portal_petition(submit, routed_to_a):
    return submit(channel="portal", channel_ref="DVC-1")


@schema.parametrize()
# The fixtures are shared by all generated cases on purpose: one key, one
# category and one transaction, rolled back after the whole run.
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
def test_the_api_answers_as_its_schema_says(
    case, inside_the_test_transaction, portal_key, a_portal_petition
):
    if case.path_parameters and case.path_parameters["tracking_code"] == EXISTING:
        case.path_parameters["tracking_code"] = a_portal_petition.tracking_code
    case.call_and_validate(
        headers={"Authorization": f"Bearer {portal_key}"}, checks=CHECKS
    )


def test_the_schema_is_served_as_openapi_3_with_an_example_the_api_accepts(client):
    document = client.get("/api/v1/schema").json()

    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/petitions",
        "/api/v1/petitions/{tracking_code}",
    }
    body = document["paths"]["/api/v1/petitions"]["post"]["requestBody"]
    example = body["content"]["application/json"]["example"]
    # The example passes the same shape checks as a real delivery.
    assert parse_petition(example)[1] == {}
    assert example["province"] == LANG_SON
