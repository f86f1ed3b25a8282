"""While the database is unreachable each door answers 503 in its own format;
other failures get 500 in that format too."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from config.errors import RETRY_AFTER_SECONDS, server_error


@pytest.fixture
def client():
    # The answer a visitor gets, not the exception a test client re-raises.
    return Client(raise_request_exception=False)


def test_intake_api_answers_503_json_with_retry_after(client, database_down):
    response = client.post(
        "/api/v1/petitions",
        data=json.dumps({"external_id": "DVC-1"}),
        content_type="application/json",
        headers={"Authorization": "Bearer " + "k" * 43},
    )
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json()["error"] == "unavailable"
    assert "nothing was saved" in response.json()["message"]


def test_api_reads_answer_503_json_too(client, database_down):
    response = client.get(
        "/api/v1/petitions/ABCD1234", headers={"Authorization": "Bearer " + "k" * 43}
    )
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_503_in_its_error_format(client, database_down, fmt):
    response = client.get(f"/open311/v2/requests.{fmt}")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    if fmt == "json":
        [error] = response.json()
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        error = {child.tag: child.text for child in root.find("error")}
    assert str(error["code"]) == "503"
    assert "temporarily unavailable" in error["description"]


def test_open311_post_answers_503(client, database_down):
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": "k" * 43, "service_code": "land", "description": "x"},
    )
    assert response.status_code == 503
    assert response.json()[0]["code"] == 503


def test_citizen_page_shows_the_sites_503_page_in_vietnamese(client, database_down):
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Hệ thống tạm thời gián đoạn" in page
    assert "chưa được lưu" in page


def test_citizen_page_shows_the_503_page_in_english_to_an_english_browser(
    client, database_down
):
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "temporarily unavailable" in page
    assert "Hệ thống" not in page


def test_staff_login_page_answers_503_too(client, database_down):
    # The login form posts credentials that are checked against the database.
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 503


def test_readyz_names_the_database_when_it_is_down(client, database_down, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # the monitoring's network
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is False
    assert "pakn-db-down" in checks["database"]["detail"]
    assert checks["sweep"] == {
        "ok": False,
        "detail": "not checked: the database is unavailable",
    }


def test_healthz_answers_while_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def failed(exception, path, **headers):
    """handler500 as Django calls it: inside the except block of the failure."""
    request = RequestFactory().get(path, headers=headers)
    try:
        raise exception
    except Exception:
        return server_error(request)


def test_a_database_error_outside_a_view_still_answers_503():
    response = failed(OperationalError("server closed the connection"), "/track/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


@pytest.mark.parametrize(
    "path, language, text",
    [
        ("/", "vi", "Đã có lỗi xảy ra"),
        ("/", "en", "Something went wrong"),
    ],
)
def test_other_failures_show_the_sites_500_page(path, language, text):
    response = failed(ValueError("a bug"), path, accept_language=language)
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    assert text in response.content.decode()


def test_other_failures_answer_500_json_at_the_api_and_open311():
    api = failed(ValueError("a bug"), "/api/v1/petitions")
    assert api.status_code == 500
    assert json.loads(api.content)["error"] == "server_error"
    open311 = failed(KeyError("a bug"), "/open311/v2/requests.xml")
    assert open311.status_code == 500
    assert ET.fromstring(open311.content).find("error/code").text == "500"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-thing", "/api/", "/open311/v2/requests/.json", "/open311/x"],
)
def test_an_unknown_path_at_a_machine_door_answers_404_in_its_format(client, path):
    response = client.get(path)
    assert response.status_code == 404
    # A client of the door reads its errors there, not in a site page.
    if path.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json")
        body = json.loads(response.content)
        assert body["error"] == "not_found"
        # The intake API's clients are told nothing about Open311's paths.
        assert "Open311" not in body["message"]
    else:
        assert response["Content-Type"].startswith("application/json")
        [error] = json.loads(response.content)
        assert error["code"] == 404
        assert "end in .json or .xml" in error["description"]


@pytest.mark.django_db
def test_an_unknown_open311_xml_path_answers_404_in_xml(client):
    response = client.get("/open311/v2/services/.xml")
    assert response.status_code == 404
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"


@pytest.mark.django_db
def test_an_unknown_site_page_is_an_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, text",
    [("vi", "Không tìm thấy trang"), ("en", "Page not found")],
)
def test_an_unknown_site_page_is_the_sites_404_in_the_visitors_language(
    client, language, text
):
    # Django's fallback is an English page for developers, "Not Found".
    response = client.get("/track/NOSUCHCODE/x/y/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    assert text in body
    assert f'lang="{language}"' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, text",
    [("vi", "Biểu mẫu đã hết hạn"), ("en", "The form has expired")],
)
def test_a_form_posted_without_its_csrf_token_gets_the_sites_page(language, text):
    # A petition form left open on a phone until its cookie is gone.
    client = Client(enforce_csrf_checks=True)
    response = client.post("/track/", {"code": "X"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    body = response.content.decode()
    assert text in body
    assert "CSRF verification failed" not in body
