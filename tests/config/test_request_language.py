"""A request's language ends with the request (config.i18n)."""

from datetime import UTC, datetime

import time_machine
from django.utils import translation

from workflow.models import State

FILED_AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_an_english_request_leaves_the_thread_in_vietnamese(client, db):
    response = client.get("/", headers={"Accept-Language": "en"})

    assert response["Content-Language"] == "en"
    assert translation.get_language() == "vi"


def test_the_thread_gets_back_the_language_it_had_before_the_request(client, db):
    with translation.override("en"):
        response = client.get("/", headers={"Accept-Language": "vi"})
        assert response["Content-Language"] == "vi"
        assert translation.get_language() == "en"


def test_a_streamed_export_speaks_the_requests_language_to_its_last_row(
    submit, auditor, staff_client
):
    with time_machine.travel(FILED_AT, tick=False):
        petition = submit()
    client = staff_client(auditor)
    client.cookies["django_language"] = "en"
    response = client.get(
        "/audit/petitions/",
        {
            "start_on": "2026-03-01",
            "end_on": "2026-03-31",
            "measure": "received",
            "format": "csv",
        },
    )
    # The rows are written while the body streams, after the view has returned.
    body = b"".join(response.streaming_content).decode("utf-8")
    with translation.override("en"):
        received = str(State.RECEIVED.label)
    with translation.override("vi"):
        assert received != str(State.RECEIVED.label)
    row = next(line for line in body.splitlines() if petition.tracking_code in line)
    assert received in row
    assert translation.get_language() == "vi"
