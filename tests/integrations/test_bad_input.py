"""Bad input at every door gets a clear 4xx, and nothing is written (issue 10).

Each case names a request that answered 500, or changed or lost a petition,
before config.boundary and the doors' own checks refused it.
"""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from feedback.integrations.fields import MAX_BODY_BYTES, MAX_DEPTH
from tests import factories
from tests.support.rows import row_counts
from workflow.models import Petition

V2 = "/open311/v2"


@pytest.fixture
def rows_unchanged(db):
    """Asserts, after the test, that no table gained or lost a row."""
    before = row_counts()
    yield
    assert row_counts() == before


@pytest.fixture
def open311_form(open311_key, land):
    """The urlencoded body of a valid Open311 POST, with raw bytes appended."""

    def form(*raw_pairs: bytes, **overrides) -> bytes:
        params = {
            "api_key": open311_key,
            "service_code": land.code,
            "first_name": "Văn An",
            "last_name": "Nguyễn",
            "email": "an@example.vn",
            "description": "Đèn đường hỏng trước số 12.",
            "attribute[province]": str(factories.LANG_SON),
            **overrides,
        }
        body = urlencode({k: v for k, v in params.items() if v is not None})
        return b"&".join([body.encode(), *raw_pairs])

    return form


@pytest.fixture
def open311_key(db):
    from django.utils import timezone

    from feedback.integrations.keys import issue_api_key

    return issue_api_key(name="open311-app", now=timezone.now())[1]


def post_form(client, body: bytes, fmt="json", content_type=None):
    # generic(), not post(): post() re-encodes a body to a charset it declares.
    return client.generic(
        "POST",
        f"{V2}/requests.{fmt}",
        data=body,
        content_type=content_type or "application/x-www-form-urlencoded",
    )


def open311_errors(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return [error["description"] for error in response.json()]


# --- 1. dates at the ends of the calendar ------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "query",
    [
        "end_date=0001-01-01",
        "end_date=0001-01-01T00:00:00%2B14:00",
        "start_date=0001-01-01T00:00:00%2B14:00",
        "end_date=9999-12-31T23:59:59-12:00",
        "start_date=1899-12-31&end_date=2026-01-01",
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_400_not_a_crash(
    client, rows_unchanged, fmt, query
):
    response = client.get(f"{V2}/requests.{fmt}?{query}")

    assert response.status_code == 400
    assert b"give a date from 1900 to 9998" in response.content


# --- 2. NUL in the path or a parameter -----------------------------------------------


@pytest.mark.parametrize(
    "url, field",
    [
        (f"{V2}/requests.json?service_request_id=%00", "service_request_id"),
        (f"{V2}/requests.json?service_code=%00", "service_code"),
        (f"{V2}/requests.xml?status=open&service_code=a%00b", "service_code"),
        (f"{V2}/tokens/%00.xml", "path"),
        (f"{V2}/requests/AB%00CD.json", "path"),
    ],
)
def test_a_nul_at_open311_is_400_in_its_format_without_a_key(
    client, rows_unchanged, url, field
):
    response = client.get(url)

    assert response.status_code == 400
    if ".xml" in url:
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert f"<description>{field}: must not contain NUL".encode() in (
            response.content
        )
    else:
        assert open311_errors(response) == [
            f"{field}: must not contain NUL characters."
        ]


@pytest.mark.parametrize(
    "url", ["/api/v1/petitions/%00", "/api/v1/petitions/AB%00CD", "/api/v1/x%00"]
)
def test_a_nul_in_an_api_path_is_400_in_json(client, portal_key, rows_unchanged, url):
    response = client.get(url, headers={"Authorization": f"Bearer {portal_key}"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid",
        "message": "The path is not valid.",
        "errors": {"path": ["must not contain NUL characters."]},
    }


@pytest.mark.parametrize(
    "url",
    [
        "/track/%00/",
        "/track/AB%00CD/forget/",
        "/answers/?q=%00",
        "/?province=%00",
        "/communes/?province=2%000",
        "/work/petitions/AB%00CD/",
        "/work/queue/?agency=%00",
        "/audit/?province=%00",
    ],
)
def test_a_nul_on_a_site_page_is_the_sites_400_page(rows_unchanged, url):
    response = Client().get(url, headers={"Accept-Language": "en"})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>Bad request</h1>" in response.content


def test_a_nul_in_the_citizen_form_is_refused_and_nothing_is_filed(
    client, land, rows_unchanged
):
    response = client.post(
        "/",
        data=b"submitter_kind=citizen&submitter_name=An%00&title=a&content=b",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400


# --- 3. nesting and size of a JSON body ----------------------------------------------


def test_a_petition_nested_thousands_of_levels_deep_is_400_naming_the_body(
    post_petition, rows_unchanged
):
    body = json.dumps({"external_id": "NEST-1"})[:-1]
    raw = body + ', "x": ' + "[" * 3000 + "]" * 3000 + "}"

    response = post_petition(raw=raw)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "body": [f"Nested deeper than {MAX_DEPTH} levels."]
    }


def test_an_unclosed_nesting_is_refused_as_deep_too(post_petition, rows_unchanged):
    response = post_petition(raw="[" * 100_000)

    assert response.status_code == 400
    assert response.json()["errors"]["body"] == [
        f"Nested deeper than {MAX_DEPTH} levels."
    ]


def test_brackets_inside_strings_are_text_not_nesting(post_petition):
    content = '[{"\\"' * 2000 + "]}" * 2000

    response = post_petition(content=content)

    assert response.status_code == 201
    assert Petition.objects.get().content == content


@pytest.mark.parametrize(
    "repeat, key",
    [
        (('{"external_id": "DUP-1", ', "{"), "external_id"),
        (('"submitter": {"name": "Trần Thị Bình", ', '"submitter": {'), "name"),
        (('{"x": [{"k": 1, "k": 1}], ', "{"), "k"),
    ],
)
def test_a_key_repeated_at_any_level_is_400_naming_it(
    post_petition, land, rows_unchanged, repeat, key
):
    inserted, where = repeat
    valid = json.dumps(
        {
            "external_id": "DUP-2",
            "submitter": {"name": "Nguyễn Văn An", "email": "an@example.vn"},
            "title": "Đường liên xã xuống cấp",
            "content": "Đề nghị sửa chữa đoạn đường liên xã.",
            "category": land.code,
            "province": factories.LANG_SON,
        },
        ensure_ascii=False,
    )

    response = post_petition(raw=valid.replace(where, inserted, 1))

    # JSON leaves a repeated key's meaning open and Python keeps the last: the
    # portal must not log one value while another is stored.
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid",
        "message": "Some fields are missing or wrong.",
        "errors": {"body": [f'The key "{key}" appears more than once.']},
    }


def test_an_integer_too_long_to_read_is_400_in_plain_words(
    post_petition, rows_unchanged
):
    response = post_petition(raw='{"province": ' + "9" * 5000 + "}")

    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["A number is too long."]}


def test_a_body_over_the_api_limit_is_413_before_it_is_parsed(
    post_petition, rows_unchanged
):
    # A valid petition padded with whitespace, which JSON allows between tokens.
    raw = json.dumps({"external_id": "BIG-1"}) + " " * MAX_BODY_BYTES

    response = post_petition(raw=raw)

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


# --- 4. only ASCII digits are codes ------------------------------------------------


@pytest.mark.parametrize("value", ["²", "٢٠", "２０", "20²", "¹⁹"])
@pytest.mark.parametrize("attribute", ["province", "commune"])
def test_open311_unit_codes_are_ascii_digits_only(
    client, open311_form, rows_unchanged, attribute, value
):
    response = post_form(client, open311_form(**{f"attribute[{attribute}]": value}))

    assert response.status_code == 400
    assert open311_errors(response) == [
        f"attribute[{attribute}]: an official code, in digits 0-9."
    ]


@pytest.mark.parametrize("value", ["²", "٢٠", "２０"])
def test_the_citizen_pages_take_only_ascii_province_codes(
    client, land, rows_unchanged, value
):
    communes = client.get("/communes/", {"province": value})
    form = client.post(
        "/",
        {
            "submitter_kind": "citizen",
            "submitter_name": "Nguyễn Văn An",
            "email": "an@example.vn",
            "category": land.code,
            "province": value,
            "title": "Đường hỏng",
            "content": "Đường liên xã hỏng.",
        },
    )

    assert communes.status_code == 400
    assert form.status_code == 400
    assert "province" in form.context["form"].errors


# --- 5. Open311 text must be UTF-8 ---------------------------------------------------


def test_a_description_that_is_not_utf8_is_400_naming_it(
    client, open311_form, rows_unchanged
):
    response = post_form(client, open311_form(b"description=%FF%FE", description=None))

    assert response.status_code == 400
    assert open311_errors(response) == ["description: not valid UTF-8 text."]


def test_two_different_invalid_external_ids_are_refused_not_merged(
    client, open311_form, rows_unchanged
):
    first = post_form(client, open311_form(b"external_id=zzX%FF"))
    second = post_form(client, open311_form(b"external_id=zzX%FE"))

    assert (first.status_code, second.status_code) == (400, 400)
    assert open311_errors(second) == ["external_id: not valid UTF-8 text."]


def test_raw_bytes_are_not_read_as_latin1(client, open311_form, rows_unchanged):
    response = post_form(
        client, open311_form(b"description=caf\xe9", description=None), fmt="xml"
    )

    assert response.status_code == 400
    assert b"<description>description: not valid UTF-8 text." in response.content


def test_a_declared_charset_other_than_utf8_is_refused(
    client, open311_form, rows_unchanged
):
    response = post_form(
        client,
        open311_form(b"description=caf\xe9", description=None),
        content_type="application/x-www-form-urlencoded; charset=iso-8859-1",
    )

    assert response.status_code == 400
    assert open311_errors(response) == [
        "charset: 'iso-8859-1' is not accepted: send charset=utf-8."
    ]


def test_multipart_fields_and_names_that_are_not_utf8_are_named(
    client, open311_form, rows_unchanged
):
    boundary = "b0undary"
    parts = [
        (b"description", b"\xff\xfe"),
        (b"first_name", "Văn An".encode()),
        (b"attribute[\xff]", b"1"),
    ]
    body = (
        b"".join(
            b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
            % (boundary.encode(), name, value)
            for name, value in parts
        )
        + f"--{boundary}--\r\n".encode()
    )

    response = post_form(
        client, body, content_type=f"multipart/form-data; boundary={boundary}"
    )

    assert response.status_code == 400
    assert open311_errors(response) == [
        "description: not valid UTF-8 text.",
        "attribute[%FF]: not valid UTF-8 text.",
    ]


def test_a_query_parameter_that_is_not_utf8_is_400_naming_it(client, rows_unchanged):
    response = client.get(f"{V2}/requests.json?service_code=%C3%28&status=open")

    assert response.status_code == 400
    assert open311_errors(response) == ["service_code: not valid UTF-8 text."]


def test_utf8_text_arrives_exactly_as_sent(client, open311_form):
    text = "Đèn đường hỏng – số 12, ngõ 34 ✓ 𝔸"

    response = post_form(client, open311_form(description=text))

    assert response.status_code == 201
    assert Petition.objects.get().content == text


def test_an_open311_parameter_given_twice_is_400_naming_it(
    client, open311_form, rows_unchanged
):
    # In the body twice, and in the body and the query string: Django would
    # keep one of them without a word.
    twice = post_form(client, open311_form(b"external_id=A", b"external_id=B"))
    also_in_query = client.generic(
        "POST",
        f"{V2}/requests.json?description=Khac",
        data=open311_form(),
        content_type="application/x-www-form-urlencoded",
    )

    assert (twice.status_code, also_in_query.status_code) == (400, 400)
    assert open311_errors(twice) == ["external_id: given more than once."]
    assert open311_errors(also_in_query) == ["description: given more than once."]


def test_an_open311_attribute_under_both_its_spellings_is_400(
    client, open311_form, rows_unchanged
):
    # attribute[x] and attribute[x][] name one attribute: either value could win.
    both = post_form(
        client,
        open311_form(b"attribute%5Bprovince%5D%5B%5D=4"),
    )

    assert both.status_code == 400
    assert open311_errors(both) == [
        "attribute[province] and attribute[province][]: the same attribute given "
        "more than once."
    ]


# --- 6. chunked bodies ---------------------------------------------------------------


def test_a_body_still_chunked_when_it_reaches_django_is_411_in_the_doors_format(
    client, post_petition, open311_form, portal_key, rows_unchanged
):
    # The test client, like a server that cannot de-chunk, leaves the header on.
    api = client.post(
        "/api/v1/petitions",
        data=b"{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {portal_key}"},
        HTTP_TRANSFER_ENCODING="chunked",
    )
    open311 = client.post(
        f"{V2}/requests.xml",
        data=open311_form(),
        content_type="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
    )

    assert (api.status_code, open311.status_code) == (411, 411)
    assert api.json()["error"] == "length_required"
    assert b"<code>411</code>" in open311.content


def test_dates_in_other_scripts_digits_are_not_dates(client, rows_unchanged):
    response = client.get(f"{V2}/requests.json", {"start_date": "٢٠٢٦-٠١-٠١"})

    assert response.status_code == 400
    assert open311_errors(response) == [
        "start_date: not a W3C date-time (e.g. 2026-03-02T08:00:00+07:00)."
    ]
