"""The doors as production serves them: gunicorn with config/gunicorn.py, DEBUG off.

What the test client cannot show: the body gunicorn hands Django for a request
sent with Transfer-Encoding: chunked (issue 10, item 6), and that the refusals
of bad input hold with production settings.
"""

import http.client
import json
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.utils import timezone

from feedback.integrations.keys import issue_api_key
from tests import factories
from tests.support.gunicorn import running_gunicorn
from workflow.models import Channel, Petition


@pytest.fixture(scope="module")
def port(django_db_setup, tmp_path_factory):
    with running_gunicorn(tmp_path_factory.mktemp("gunicorn") / "log") as port:
        yield port


@pytest.fixture
def key(transactional_db):
    return issue_api_key(name="served", now=timezone.now())[1]


def send(port, method, path, body=None, *, chunked=False, headers=()):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if chunked:
        # An iterable body without a length goes out as Transfer-Encoding: chunked.
        whole, step = body, 1000
        body = (whole[i : i + step] for i in range(0, len(whole), step))
    connection.request(method, path, body=body, headers=dict(headers))
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type"), content


def petition_json(external_id, land):
    return json.dumps(
        {
            "external_id": external_id,
            "submitter": {"name": "Nguyễn Văn An", "email": "an@example.vn"},
            "title": "Đường liên xã xuống cấp",
            "content": "Đề nghị sửa chữa đoạn đường liên xã qua thôn Bản Pò. " * 40,
            "category": land.code,
            "province": factories.LANG_SON,
        }
    ).encode()


def test_a_chunked_petition_is_read_whole_by_the_api(port, key, land):
    body = petition_json("CHUNK-1", land)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    status, _, content = send(
        port, "POST", "/api/v1/petitions", body, chunked=True, headers=headers
    )

    assert status == 201, content
    petition = Petition.objects.get(channel_ref="CHUNK-1")
    assert petition.content == json.loads(body)["content"].strip()


def test_a_chunked_open311_request_is_read_whole(port, key, land):
    body = urlencode(
        {
            "api_key": key,
            "service_code": land.code,
            "first_name": "Văn An",
            "last_name": "Nguyễn",
            "email": "an@example.vn",
            "description": "Đèn đường hỏng trước số 12. " * 50,
            "attribute[province]": str(factories.LANG_SON),
        }
    ).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    status, _, content = send(
        port, "POST", "/open311/v2/requests.json", body, chunked=True, headers=headers
    )

    assert status == 201, content
    assert Petition.objects.get().channel == Channel.OPEN311


def test_a_chunked_body_over_the_limit_is_413_not_read_to_the_end(port, key, land):
    body = b" " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + petition_json("X", land)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    status, content_type, content = send(
        port, "POST", "/api/v1/petitions", body, chunked=True, headers=headers
    )

    assert status == 413
    assert content_type == "application/json"
    assert json.loads(content)["error"] == "too_large"
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/open311/v2/requests.json?end_date=0001-01-01", "application/json"),
        ("/open311/v2/requests.xml?end_date=0001-01-01T00:00:00%2B14:00", "text/xml"),
        ("/open311/v2/requests.json?service_request_id=%00", "application/json"),
        ("/open311/v2/tokens/%00.xml", "text/xml"),
        ("/api/v1/petitions/AB%00CD", "application/json"),
        ("/track/%00/", "text/html"),
    ],
)
def test_bad_input_is_a_4xx_in_the_doors_format_in_production(port, path, content_type):
    # Refused before any key is looked at: nothing in the database is needed.
    status, got_type, _ = send(port, "GET", path)

    assert status == 400
    assert got_type.startswith(content_type)
