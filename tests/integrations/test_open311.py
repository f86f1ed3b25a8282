import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from feedback.integrations.keys import issue_api_key
from feedback.integrations.open311 import parse_w3c
from tests import factories
from workflow import services
from workflow.models import Channel, Petition, State

V2 = "/open311/v2"


@pytest.fixture
def open311_key(db):
    _, key = issue_api_key(name="open311-app", now=timezone.now())
    return key


@pytest.fixture
def file_request(client, open311_key, land):
    """POST requests.<fmt> with valid parameters, changed by `overrides`."""

    def file(fmt="json", **overrides):
        params = {
            "api_key": open311_key,
            "service_code": land.code,
            "first_name": "Văn An",
            "last_name": "Nguyễn",
            "email": "an@example.vn",
            "description": "Đèn đường hỏng\nĐoạn trước số 12 không sáng.",
            "attribute[province]": str(factories.LANG_SON),
        }
        params.update(overrides)
        params = {name: value for name, value in params.items() if value is not None}
        return client.post(f"{V2}/requests.{fmt}", params)

    return file


def xml_of(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def errors_of(response):
    return [error["description"] for error in response.json()]


# --- discovery and services ------------------------------------------------------


def test_discovery_names_the_v2_endpoint_in_both_formats(client, db):
    body = client.get(f"{V2}/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]

    root = xml_of(client.get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/type") == "production"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_are_the_active_categories(client, land):
    closed = factories.category("closed-one")
    closed.is_active = False
    closed.save()

    services_json = client.get(f"{V2}/services.json").json()

    assert services_json == [
        {
            "service_code": "land",
            "service_name": "Category land",
            "description": "",
            "metadata": True,
            "type": "realtime",
            "keywords": "land",
            "group": "",
        }
    ]
    root = xml_of(client.get(f"{V2}/services.xml"))
    assert [s.findtext("service_code") for s in root.findall("service")] == ["land"]
    assert root.findtext("service/metadata") == "true"


def test_service_names_follow_the_accept_language(client, land):
    land.name_en = "Land and environment"
    land.save()

    response = client.get(f"{V2}/services.json", headers={"Accept-Language": "en"})

    assert response.json()[0]["service_name"] == "Land and environment"


def test_a_service_definition_lists_the_attributes_and_current_provinces(client, land):
    body = client.get(f"{V2}/services/land.json").json()

    attributes = {a["code"]: a for a in body["attributes"]}
    assert body["service_code"] == "land"
    assert list(attributes) == [
        "province",
        "commune",
        "submitter_kind",
        "tax_code",
        "title",
        "publish_consent",
        "language",
    ]
    province = attributes["province"]
    assert (province["datatype"], province["required"]) == ("singlevaluelist", True)
    # The 34 provinces since 1 July 2025, by official code.
    assert len(province["values"]) == 34
    assert {"key": "20", "name": factories.province().name} in province["values"]
    assert attributes["commune"]["datatype"] == "string"
    assert [a["order"] for a in body["attributes"]] == list(range(1, 8))

    root = xml_of(client.get(f"{V2}/services/land.xml"))
    assert root.tag == "service_definition"
    first = root.find("attributes/attribute")
    assert first.findtext("code") == "province"
    assert first.findtext("variable") == "true"
    assert len(first.findall("values/value")) == 34


def test_an_unknown_service_is_404_in_the_spec_error_format(client, db):
    response = client.get(f"{V2}/services/nope.json")
    assert response.status_code == 404
    assert response.json() == [
        {"code": 404, "description": "service_code 'nope' not found."}
    ]

    root = xml_of(client.get(f"{V2}/services/nope.xml"))
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert "nope" in root.findtext("error/description")


def test_unknown_paths_and_formats_are_404_in_the_spec_format(client, db):
    for path, fmt in (("/services.csv", "json"), ("/nothing.xml", "xml"), ("", "json")):
        response = client.get(f"{V2}{path}")
        assert response.status_code == 404
        if fmt == "xml":
            assert xml_of(response).findtext("error/code") == "404"
        else:
            assert response.json()[0]["code"] == 404


# --- filing requests ----------------------------------------------------------------


def test_a_filed_request_becomes_an_open311_petition_and_returns_its_id(
    file_request, routed_to_a
):
    response = file_request()

    assert response.status_code == 201
    [created] = response.json()
    petition = Petition.objects.get(tracking_code=created["service_request_id"])
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert petition.channel == Channel.OPEN311
    # Vietnamese names put the family name first.
    assert petition.submitter_name == "Nguyễn Văn An"
    assert petition.submitter_kind == "citizen"
    assert petition.title == "Đèn đường hỏng"
    assert petition.content == "Đèn đường hỏng\nĐoạn trước số 12 không sáng."
    assert petition.state == State.ASSIGNED
    assert petition.publish_consent is False


def test_the_title_is_the_descriptions_first_line_that_shows_text(file_request):
    file_request(description="\u200b\n  \nĐèn đường hỏng\nĐoạn trước số 12.")

    assert Petition.objects.get().title == "Đèn đường hỏng"


def test_a_request_filed_in_xml_answers_in_xml(file_request):
    response = file_request(fmt="xml")

    assert response.status_code == 201
    root = xml_of(response)
    assert root.tag == "service_requests"
    code = root.findtext("request/service_request_id")
    assert Petition.objects.filter(tracking_code=code).exists()


def test_attributes_fill_the_petition(file_request):
    commune = factories.commune_of()
    file_request(
        **{
            "attribute[commune]": str(commune.code),
            "attribute[submitter_kind]": "business",
            "attribute[tax_code]": "0101234567",
            "attribute[title]": "Tiêu đề riêng",
            "attribute[publish_consent]": "true",
            "attribute[language]": "en",
            "address_string": "12 Trần Đăng Ninh",
            "lat": "21.85",
            "long": "106.76",
            "media_url": "https://example.vn/a.jpg",
        }
    )

    petition = Petition.objects.get()
    assert petition.commune == commune
    assert (petition.submitter_kind, petition.tax_code) == ("business", "0101234567")
    assert petition.title == "Tiêu đề riêng"
    assert petition.publish_consent is True
    assert petition.language == "en"
    # Address and point are the petition's own data, not words in its text.
    assert petition.place == "12 Trần Đăng Ninh"
    assert (str(petition.latitude), str(petition.longitude)) == (
        "21.850000",
        "106.760000",
    )
    assert "21.85" not in petition.content
    # Media has no field of its own: it is kept in the text for the handler.
    assert "https://example.vn/a.jpg" in petition.content


@pytest.mark.parametrize("api_key", [None, "", "wrong-key-wrong-key"])
def test_filing_without_a_valid_api_key_is_403(file_request, api_key):
    response = file_request(api_key=api_key)

    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    assert Petition.objects.count() == 0


def test_filing_with_a_deactivated_key_is_403_in_xml_too(file_request, open311_key):
    from feedback.integrations.models import ApiKey

    ApiKey.objects.update(is_active=False)

    response = file_request(fmt="xml")

    assert response.status_code == 403
    assert xml_of(response).findtext("error/code") == "403"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"attribute[colour]": "red"}, "attribute[colour]: not an attribute"),
        (
            {"attribute[submitter_kind]": "robot"},
            "attribute[submitter_kind]: 'robot' is not one of citizen, business.",
        ),
        (
            {"attribute[publish_consent]": "maybe"},
            "attribute[publish_consent]: 'maybe' is not one of false, true.",
        ),
        ({"attribute[province]": None}, "attribute[province]: required."),
        ({"attribute[province]": "Lạng Sơn"}, "attribute[province]: an official"),
        ({"attribute[province]": "99"}, "attribute[province]: Unknown province 99."),
        ({"attribute[commune]": "1"}, "attribute[commune]: Unknown commune 1."),
        ({"service_code": "nope"}, "service_code: Unknown category 'nope'."),
        ({"service_code": None}, "service_code: required."),
        ({"description": " "}, "description: required."),
        ({"description": "x" * 4001}, "description: at most 4000 characters."),
        ({"first_name": None, "last_name": None}, "first_name/last_name:"),
        ({"email": "nope"}, "email: not a valid email address."),
        ({"email": None}, "email: Give an email address or a phone number."),
        ({"lat": "21.8"}, "lat/long: give both"),
        (
            {"lat": "200", "long": "10"},
            "lat/long: give both, as decimal degrees on the globe.",
        ),
        (
            {"attribute[submitter_kind]": "business"},
            "attribute[tax_code]: A business must give its tax code.",
        ),
        ({"description": "a\x00b"}, "description: must not contain NUL"),
        ({"description": "\u200b"}, "description: no line of it shows any text."),
        (
            {"external_id": "\u0344" * 100},
            "external_id: external_id is longer than 100 characters.",
        ),
    ],
)
def test_bad_parameters_are_400_naming_them(file_request, overrides, expected):
    response = file_request(**overrides)

    assert response.status_code == 400
    assert any(text.startswith(expected) for text in errors_of(response)), errors_of(
        response
    )
    assert Petition.objects.count() == 0


def test_a_request_over_the_upload_limit_is_413_in_the_spec_format(
    file_request, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = file_request(description="x" * 2000)

    assert response.status_code == 413
    assert errors_of(response) == ["The request body is too large."]


def test_all_bad_parameters_are_listed_together(file_request):
    response = file_request(
        **{"attribute[colour]": "red", "service_code": None, "description": None}
    )

    assert response.status_code == 400
    assert len(response.json()) == 3
    assert {e["code"] for e in response.json()} == {400}


def test_an_external_id_makes_filing_idempotent_and_resolves_as_a_token(
    client, file_request, open311_key
):
    first = file_request(external_id="app-42")
    again = file_request(external_id="app-42")

    assert (first.status_code, again.status_code) == (201, 200)
    code = first.json()[0]["service_request_id"]
    assert again.json()[0]["service_request_id"] == code
    assert Petition.objects.count() == 1

    # The client's own id is a token for that client (its key) only.
    for token in ("app-42", code):
        response = client.get(f"{V2}/tokens/{token}.json", {"api_key": open311_key})
        assert response.status_code == 200
        assert response.json() == [{"service_request_id": code, "token": token}]
    root = xml_of(client.get(f"{V2}/tokens/app-42.xml", {"api_key": open311_key}))
    assert root.findtext("request/service_request_id") == code
    assert client.get(f"{V2}/tokens/app-42.json").status_code == 404


def test_an_unknown_token_and_other_channels_petitions_are_404(client, submit):
    web = submit(channel_ref="w-1")

    for token in ("nothing", web.tracking_code, "w-1"):
        response = client.get(f"{V2}/tokens/{token}.json")
        assert response.status_code == 404
        assert response.json()[0]["code"] == 404


def test_filing_is_rate_limited_per_key(file_request, db):
    _, key = issue_api_key(name="tight", now=timezone.now(), requests_per_minute=1)

    assert file_request(api_key=key).status_code == 201
    response = file_request(api_key=key)

    assert response.status_code == 429
    assert response.json()[0]["code"] == 429
    assert int(response["Retry-After"]) >= 1
    assert Petition.objects.count() == 1


def test_other_methods_are_refused_in_the_spec_format(client, db):
    response = client.put(f"{V2}/requests.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert client.post(f"{V2}/services.json").status_code == 405


# --- jurisdiction_id ---------------------------------------------------------------


@pytest.mark.parametrize("jurisdiction", ["", "  ", "pakn"])
def test_an_empty_or_our_jurisdiction_id_is_accepted(
    client, file_request, jurisdiction
):
    assert (
        client.get(f"{V2}/services.json", {"jurisdiction_id": jurisdiction}).status_code
        == 200
    )
    assert file_request(jurisdiction_id=jurisdiction).status_code == 201


def test_an_unknown_jurisdiction_id_is_404_everywhere(client, file_request):
    other = {"jurisdiction_id": "sf.gov"}
    for path in (
        "/services.json",
        "/services/land.json",
        "/requests.json",
        "/requests/ABC.json",
        "/tokens/abc.json",
    ):
        response = client.get(f"{V2}{path}", other)
        assert response.status_code == 404, path
    response = file_request(jurisdiction_id="sf.gov")
    assert response.status_code == 404
    assert "jurisdiction_id 'sf.gov' not found." in errors_of(response)
    assert Petition.objects.count() == 0


def test_a_jurisdiction_id_can_be_configured(client, db, settings):
    settings.OPEN311_JURISDICTION_ID = "langson.gov.vn"

    assert (
        client.get(
            f"{V2}/services.json", {"jurisdiction_id": "langson.gov.vn"}
        ).status_code
        == 200
    )
    assert (
        client.get(f"{V2}/services.json", {"jurisdiction_id": "pakn"}).status_code
        == 404
    )


# --- reading requests ---------------------------------------------------------------


@pytest.fixture
def published(submit, routed_to_a, handler_a, publish):
    """Three consenting petitions (one answered and published) and one without
    consent."""
    answered = submit(publish_consent=True, title="Đã trả lời")
    services.accept_petition(petition_id=answered.pk, actor=handler_a)
    services.answer_petition(
        petition_id=answered.pk, actor=handler_a, text="Đã khắc phục."
    )
    publish(answered)
    return {
        "answered": answered,
        "open": submit(publish_consent=True, title="Đang mở"),
        "open_311": submit(publish_consent=True, channel="open311", title="Từ Open311"),
        "private": submit(publish_consent=False, title="Riêng tư"),
    }


def codes(response):
    return {item["service_request_id"] for item in response.json()}


def test_requests_list_only_petitions_whose_submitters_agreed_to_publication(
    client, published
):
    response = client.get(f"{V2}/requests.json")

    assert response.status_code == 200
    assert codes(response) == {
        published[name].tracking_code for name in ("answered", "open", "open_311")
    }
    assert published["private"].title not in response.content.decode()


def test_a_request_carries_the_spec_fields(client, published, agency_a):
    answered = published["answered"]

    [item] = client.get(f"{V2}/requests/{answered.tracking_code}.json").json()

    assert item["status"] == "closed"
    assert item["status_notes"] == "Đã khắc phục."
    assert item["service_code"] == "land"
    assert item["service_name"] == "Category land"
    assert item["description"] == answered.content
    assert item["agency_responsible"] == agency_a.name
    assert item["address"] == factories.province().name
    assert item["requested_datetime"].endswith("+07:00")
    assert item["updated_datetime"] >= item["requested_datetime"]
    assert item["expected_datetime"] == (
        answered.due_at
        and timezone.localtime(answered.due_at).isoformat("T", "seconds")
    )
    assert (item["lat"], item["long"], item["media_url"]) == (None, None, "")
    # Nothing about the submitter is published.
    body = str(item)
    assert answered.submitter_name not in body
    assert answered.email not in body


def test_a_request_in_xml_has_the_spec_elements(client, published):
    code = published["open"].tracking_code

    root = xml_of(client.get(f"{V2}/requests/{code}.xml"))

    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.findtext("service_request_id") == code
    assert request.findtext("status") == "open"
    assert request.findtext("status_notes") == str(State.ASSIGNED.label)
    for tag in ("requested_datetime", "lat", "long", "media_url", "address"):
        assert request.find(tag) is not None


def test_a_private_or_unknown_request_is_404(client, published):
    for code in (published["private"].tracking_code, "NOSUCHCODE"):
        response = client.get(f"{V2}/requests/{code}.json")
        assert response.status_code == 404
        assert published["private"].title not in response.content.decode()


def test_a_client_with_a_key_also_sees_unpublished_open311_requests(
    client, file_request, open311_key
):
    code = file_request().json()[0]["service_request_id"]

    assert client.get(f"{V2}/requests/{code}.json").status_code == 404
    with_key = client.get(f"{V2}/requests/{code}.json", {"api_key": open311_key})
    assert with_key.status_code == 200
    assert codes(client.get(f"{V2}/requests.json", {"api_key": open311_key})) == {code}
    # A wrong key is refused rather than quietly ignored.
    assert client.get(f"{V2}/requests.json", {"api_key": "bad"}).status_code == 403


def test_the_status_filter(client, published):
    open_ = client.get(f"{V2}/requests.json", {"status": "open"})
    closed = client.get(f"{V2}/requests.json", {"status": "closed"})
    both = client.get(f"{V2}/requests.json", {"status": "open,closed"})
    bad = client.get(f"{V2}/requests.json", {"status": "pending"})

    assert codes(open_) == {
        published["open"].tracking_code,
        published["open_311"].tracking_code,
    }
    assert codes(closed) == {published["answered"].tracking_code}
    assert len(codes(both)) == 3
    assert bad.status_code == 400
    assert "status:" in errors_of(bad)[0]


@pytest.mark.parametrize(
    "path", ["/requests.json", "/services.json", "/requests/X.json"]
)
def test_a_reading_parameter_given_twice_is_400_naming_it(client, db, path):
    # One of the two would be used without a word; the client may mean the other.
    response = client.get(
        f"{V2}{path}?status=open&status=closed&jurisdiction_id=a&jurisdiction_id=b"
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        "status: given more than once.",
        "jurisdiction_id: given more than once.",
    ]


def test_service_request_id_overrides_the_other_filters(client, published):
    wanted = [published["answered"].tracking_code, published["open"].tracking_code]

    response = client.get(
        f"{V2}/requests.json",
        {
            "service_request_id": ",".join(code.lower() for code in wanted),
            "status": "open",
            "service_code": "other",
        },
    )

    assert codes(response) == set(wanted)


def test_the_service_code_filter(client, published):
    other = factories.category("roads")
    assert codes(client.get(f"{V2}/requests.json", {"service_code": other.code})) == (
        set()
    )
    assert len(codes(client.get(f"{V2}/requests.json", {"service_code": "land"}))) == 3


OLD = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)


def test_dates_filter_by_reception_and_the_default_is_the_last_90_days(
    client, submit, time_machine
):
    time_machine.move_to(OLD, tick=False)
    old = submit(publish_consent=True)
    time_machine.move_to(OLD + timedelta(days=100), tick=False)
    new = submit(publish_consent=True)

    assert codes(client.get(f"{V2}/requests.json")) == {new.tracking_code}
    in_january = client.get(
        f"{V2}/requests.json",
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-01-31"},
    )
    assert codes(in_january) == {old.tracking_code}
    since = client.get(f"{V2}/requests.json", {"start_date": "2026-01-01T00:00:00Z"})
    assert codes(since) == {old.tracking_code, new.tracking_code}
    until = client.get(f"{V2}/requests.json", {"end_date": "2026-02-01"})
    assert codes(until) == {old.tracking_code}


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"end_date": "2026-13-01"},
        {"start_date": "2026-02-01", "end_date": "2026-01-01"},
    ],
)
def test_bad_dates_are_400(client, db, params):
    response = client.get(f"{V2}/requests.json", params)

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_w3c_date_times_are_read_with_their_offset():
    assert parse_w3c("2026-03-02T08:15:30+07:00") == datetime(
        2026, 3, 2, 1, 15, 30, tzinfo=UTC
    )
    assert parse_w3c("2026-03-02T01:15:30Z") == datetime(
        2026, 3, 2, 1, 15, 30, tzinfo=UTC
    )
    # A "+" that was not escaped in the query string arrives as a space.
    assert parse_w3c("2026-03-02T08:15:30 07:00") == datetime(
        2026, 3, 2, 1, 15, 30, tzinfo=UTC
    )
    # A date alone is midnight in Vietnam.
    assert parse_w3c("2026-03-02") == datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
    assert parse_w3c("2026-03-02T08:15") == datetime(2026, 3, 2, 1, 15, tzinfo=UTC)
    assert parse_w3c("not a date") is None
    # ISO 8601 forms Python reads that W3C's profile does not have.
    for not_w3c in ("2026-W01", "2026-W01-1", "20260101", "2026-061", "2026"):
        assert parse_w3c(not_w3c) is None, not_w3c
    # Offsets PostgreSQL does not take (beyond ±15:59) are read all the same.
    assert parse_w3c("2026-03-02T00:00:00-20:00") == datetime(
        2026, 3, 2, 20, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "bounds",
    [
        {"start_date": "1900-01-01"},
        {"start_date": "1900-01-01T00:00:00+14:00"},
        {"end_date": "9998-12-31T23:59:59-12:00"},
        {"end_date": "9998-12-31"},
    ],
)
def test_the_first_and_last_days_the_message_names_are_taken(client, db, bounds):
    # "give a date from 1900 to 9998": in the client's own offset, not in UTC.
    assert client.get(f"{V2}/requests.json", bounds).status_code == 200


@pytest.mark.parametrize("offset", ["-16:00", "+18:00", "-23:59"])
def test_any_offset_python_reads_filters_without_an_error(client, submit, offset):
    submit(publish_consent=True)

    response = client.get(
        f"{V2}/requests.json", {"start_date": f"2000-01-01T00:00:00{offset}"}
    )

    assert response.status_code == 200
    assert len(response.json()) == 1


def test_the_list_is_capped_newest_first(client, published, monkeypatch):
    # The cap is 1000; a cap of 2 shows the same rule without 1000 petitions.
    from feedback.integrations import queries

    assert queries.OPEN311_MAX_REQUESTS == 1000
    monkeypatch.setattr(queries, "OPEN311_MAX_REQUESTS", 2)

    response = client.get(f"{V2}/requests.json")

    assert [item["service_request_id"] for item in response.json()] == [
        published["open_311"].tracking_code,
        published["open"].tracking_code,
    ]


def test_text_that_xml_cannot_carry_is_dropped_from_xml_only(
    client, submit, routed_to_a, handler_a, publish
):
    # Whitespace controls (form feed, vertical tab) are kept; XML 1.0 has no room.
    petition = submit(publish_consent=True, content="Đèn\x0c hỏng\x0b")
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(petition_id=petition.pk, actor=handler_a, text="Đã sửa.")
    publish(petition)

    root = xml_of(client.get(f"{V2}/requests/{petition.tracking_code}.xml"))

    assert root.findtext("request/description") == "Đèn hỏng"


def test_the_public_reads_no_text_before_a_supervisor_published_it(
    client, submit, routed_to_a, handler_a, publish
):
    # What automatic masking misses (a name typed without diacritics, a third
    # person, a phone written in groups of its own) waits for a supervisor's
    # reading, as on /answers/: a consented request is listed without its text.
    content = "Toi la Nguyen Van Khuong, goi 0912  345  678; ông Trần Văn Bình lấn đất."
    petition = submit(publish_consent=True, content=content)
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(
        petition_id=petition.pk, actor=handler_a, text="Ông Trần Văn Bình đã trả đất."
    )
    url = f"{V2}/requests/{petition.tracking_code}.json"

    [listed] = client.get(url).json()
    everything = client.get(f"{V2}/requests.json").content.decode()

    assert listed["description"] == ""
    assert listed["status_notes"] == str(State.ANSWERED.label)
    for text in ("Khuong", "345", "Bình"):
        assert text not in str(listed) and text not in everything

    publish(petition, redactions=["Trần Văn Bình", "Nguyen Van Khuong"])
    [shown] = client.get(url).json()

    assert "lấn đất" in shown["description"]
    assert "Bình" not in str(shown) and "Khuong" not in str(shown)
    assert shown["status_notes"] == "Ông *** đã trả đất."


def test_the_clock_is_vietnams_in_every_datetime(client, submit):
    with time_machine.travel(datetime(2026, 3, 2, 20, 30, tzinfo=UTC), tick=False):
        petition = submit(publish_consent=True)

    [item] = client.get(f"{V2}/requests/{petition.tracking_code}.json").json()

    assert item["requested_datetime"] == "2026-03-03T03:30:00+07:00"


def test_a_request_serves_back_its_address_and_point_to_its_integration_only(
    client, file_request, open311_key
):
    code = file_request(
        address_string="Cầu treo Bản Chắt", lat="21.8537", long="106.7615"
    ).json()[0]["service_request_id"]

    url = f"{V2}/requests/{code}.json"
    [own] = client.get(url, {"api_key": open311_key}).json()
    # Stored as data at intake, served as numbers, not parsed out of the text.
    assert (own["lat"], own["long"]) == (21.8537, 106.7615)
    assert own["address"].startswith("Cầu treo Bản Chắt, ")


def test_a_path_with_a_newline_is_refused_in_open311_format(client):
    # "." in a URL pattern does not match %0A; the catch-all must still answer.
    response = client.get(f"{V2}/requests/ab%0Acd.xml")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/xml")
