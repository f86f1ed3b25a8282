"""Logs in production: JSON lines with the request's id, actor, petition, duration."""

import json
import logging

from django.test import Client
from django.utils import timezone

from config.logs import JsonLines, RequestContextFilter
from feedback.integrations.keys import issue_api_key
from tests import factories


def as_json_lines(records) -> list[dict]:
    formatter, context = JsonLines(), RequestContextFilter()
    lines = []
    for record in records:
        context.filter(record)
        lines.append(json.loads(formatter.format(record)))
    return lines


def request_lines(caplog) -> list[dict]:
    records = [r for r in caplog.records if r.name == "pakn.request"]
    return as_json_lines(records)


def test_an_intake_request_logs_its_id_petition_and_duration(land, caplog):
    _, key = issue_api_key(name="portal", now=timezone.now())
    body = {
        "external_id": "DVC-LOG-1",
        "submitter": {"kind": "citizen", "name": "An", "email": "an@example.vn"},
        "title": "Đường liên xã xuống cấp",
        "content": "Đề nghị sửa chữa đoạn đường liên xã.",
        "category": land.code,
        "province": factories.LANG_SON,
    }
    caplog.set_level(logging.INFO, logger="pakn.request")
    response = Client().post(
        "/api/v1/petitions",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201
    [line] = request_lines(caplog)
    assert line["level"] == "INFO"
    assert line["method"] == "POST"
    assert line["path"] == "/api/v1/petitions"
    assert line["status"] == 201
    # The code of the petition created, read from the answer's Location.
    assert line["petition"] == response.json()["tracking_code"]
    assert line["duration_ms"] > 0
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32


def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced(db, caplog):
    caplog.set_level(logging.INFO, logger="pakn.request")
    kept = Client().get("/healthz", headers={"X-Request-ID": "edge-4f2a.1"})
    replaced = Client().get("/healthz", headers={"X-Request-ID": "a b\nc"})
    assert kept["X-Request-ID"] == "edge-4f2a.1"
    assert replaced["X-Request-ID"] != "a b\nc"
    ids = [line["request_id"] for line in request_lines(caplog)]
    assert ids == ["edge-4f2a.1", replaced["X-Request-ID"]]


def test_a_staff_request_logs_the_actor_and_the_petition_code(
    client, submit, routed_to_a, handler_a, caplog
):
    petition = submit()
    client.force_login(handler_a.user)
    caplog.set_level(logging.INFO, logger="pakn.request")
    response = client.get(f"/work/petitions/{petition.tracking_code}/")
    assert response.status_code == 200
    [line] = request_lines(caplog)
    assert line["actor"] == "handler_a"
    assert line["petition"] == petition.tracking_code


def test_lines_logged_while_serving_carry_the_request_id(db, caplog):
    caplog.set_level(logging.INFO)
    response = Client().get("/api/v1/petitions/NOPE", headers={"X-Request-ID": "r-1"})
    assert response.status_code == 401
    # Django's own warning about the refusal, and the request line.
    lines = as_json_lines(caplog.records)
    assert {line["name"] for line in lines} >= {"django.request", "pakn.request"}
    assert {line["request_id"] for line in lines} == {"r-1"}


def test_no_line_carries_a_query_string(db, caplog):
    # A query string can hold what a citizen searched for (a name, an e-mail).
    caplog.set_level(logging.INFO)
    response = Client().get(
        "/open311/v2/requests.json", {"start_date": "x", "q": "an.nguyen@example.vn"}
    )
    assert response.status_code == 400

    lines = as_json_lines(caplog.records)
    assert {line["name"] for line in lines} >= {"django.request", "pakn.request"}
    assert "an.nguyen@example.vn" not in json.dumps(lines)
    assert any(line.get("request") == "GET /open311/v2/requests.json" for line in lines)


def test_rendering_a_pdf_logs_no_step_of_weasyprint_or_fonttools(
    enter, reception, caplog
):
    """Each PDF would otherwise add a dozen INFO lines (WeasyPrint's steps,
    fontTools' subset tables) to the production log."""
    from workflow import documents
    from workflow.documents.content import receipt_of

    submission = enter(reception, channel="counter")
    pdf = documents.render_pdf(
        documents.RECEIPT, {"receipt": receipt_of(submission.petition)}
    )

    assert pdf.startswith(b"%PDF-")
    chatter = [
        r.getMessage()
        for r in caplog.records
        if r.name.split(".")[0] in ("weasyprint", "fontTools")
    ]
    assert chatter == []
