"""Whatever arrives at a door, the answer is below 500, in the door's format, and a
refusal writes nothing (issue 10).

Hypothesis throws arbitrary bytes and text (NUL, lone surrogates, superscript and
other scripts' digits, right-to-left marks, combining marks, percent signs and
separators), nesting and sizes at every machine endpoint (the intake API, Open311
GET and POST, tokens) and at the citizen pages. A refused request (4xx) must
leave every table's row count as it was (tests/support/rows.py).

Examples per door: PAKN_FUZZ_EXAMPLES (default 30, about half a minute for the
module, the same examples each run); raise it for a long run that draws new ones,
e.g. PAKN_FUZZ_EXAMPLES=2000.
"""

import json
import os
import xml.etree.ElementTree as ET
from urllib.parse import quote_from_bytes

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feedback.integrations.keys import issue_api_key
from tests import factories
from tests.support.rows import row_counts

EXAMPLES = int(os.environ.get("PAKN_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The suite's short run draws the same examples every time, so that a commit
    # fails for what it changed, not for what one run happened to draw; a long run
    # (PAKN_FUZZ_EXAMPLES set) explores anew each time.
    derandomize="PAKN_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=list(HealthCheck),
)

# Characters that have broken parsers: NUL, lone surrogates, digits that are not
# ASCII (superscripts, Arabic-Indic, Devanagari, full-width), right-to-left and
# other invisible marks, combining marks, the replacement character, separators
# Python strips but other engines do not, and the characters of URL and form
# syntax.
NASTY = [
    "\x00",
    "\ud800",
    "\udfff",
    "²",
    "¹",
    "٢",
    "٠",
    "۴",
    "२",
    "０",
    "\u200f",
    "\u202e",
    "\u200e",
    "\u200b",
    "\u0301",
    "\u0308",
    "\ufeff",
    "\ufffd",
    "\x1c",
    "\n",
    "%",
    "&",
    "=",
    "+",
    "[",
    "]",
    "/",
    "?",
    "#",
    ";",
    '"',
    "\\",
]
CHARACTERS = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(NASTY),
    st.characters(codec=None),  # any code point, surrogates included
    st.sampled_from("0123456789abcXYZ -."),
)
TEXT = st.text(CHARACTERS, max_size=30)
# What goes on the wire: text as UTF-8 (a lone surrogate becomes bytes that are
# not UTF-8), or any bytes at all.
WIRE = st.one_of(
    TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.binary(max_size=30),
    st.integers(0, 4000).map(lambda n: b"x" * n),
)
SEGMENT = WIRE.map(lambda raw: quote_from_bytes(raw, safe=""))
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3)
    ),
    max_leaves=8,
)


def query_of(pairs) -> str:
    return "&".join(f"{quote_from_bytes(k)}={quote_from_bytes(v)}" for k, v in pairs)


@pytest.fixture
def door(client, land, routed_to_a):
    """Sends a request and checks what every door promises; returns the response."""
    before = {}

    def send(verb, path, *, machine=None, **kwargs):
        before.update(row_counts())
        if verb == "raw post":
            # generic() sends the bytes as they are (post() would re-encode them
            # to a charset the request declares).
            response = client.generic("POST", path, **kwargs)
        else:
            response = getattr(client, verb)(path, **kwargs)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code >= 400:
            # A refusal writes nothing.
            assert row_counts() == before, (path, response.status_code)
            if machine:
                check_error_body(machine, response)
        return response

    return send


def check_error_body(machine, response):
    """A machine door's refusal is in its own format (intake API or Open311)."""
    content_type = response["Content-Type"]
    if machine == "api":
        assert content_type == "application/json"
        body = response.json()
        assert isinstance(body["error"], str) and isinstance(body["message"], str)
    elif content_type.startswith("text/xml"):
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        assert int(root.findtext("error/code")) == response.status_code
    else:
        assert content_type == "application/json; charset=utf-8"
        assert response.json()[0]["code"] == response.status_code


@pytest.fixture
def key(db):
    """An unlimited key, so that no answer is a 429."""
    return issue_api_key(name="fuzz", now=timezone.now(), requests_per_minute=None)[1]


def keys_around(key):
    """Mostly the key, sometimes none or a wrong one."""
    return st.sampled_from([key] * 6 + ["", "x" * 43, "\x00", "٢"])


def valid_petition(land):
    return {
        "external_id": "FUZZ-1",
        "submitter": {
            "kind": "citizen",
            "name": "Nguyễn Văn An",
            "phone": "0912345678",
        },
        "title": "Đường liên xã xuống cấp",
        "content": "Đề nghị sửa chữa.",
        "category": land.code,
        "province": factories.LANG_SON,
    }


def open311_params(land, key):
    return {
        "api_key": key,
        "service_code": land.code,
        "first_name": "Văn An",
        "last_name": "Nguyễn",
        "email": "an@example.vn",
        "description": "Đèn đường hỏng.",
        "attribute[province]": str(factories.LANG_SON),
        "external_id": "fuzz-1",
    }


# --- the intake API -------------------------------------------------------------


def test_any_json_body_at_the_api(door, key, land):
    @FUZZ
    @example(key=key, changes={}, submitter={}, depth=3000, padding=0, encoding="utf-8")
    @given(
        key=keys_around(key),
        changes=st.dictionaries(
            st.sampled_from(
                [*valid_petition(land), "submitter", "x", "\x00", "\ud800"]
            ),
            JSON_VALUE,
            max_size=4,
        ),
        submitter=st.dictionaries(
            st.sampled_from(["kind", "name", "email", "phone", "tax_code", "x"]),
            JSON_VALUE,
            max_size=3,
        ),
        depth=st.sampled_from([0, 0, 0, 9, 50, 3000]),
        padding=st.sampled_from([0, 0, 600_000]),
        encoding=st.sampled_from(["utf-8", "utf-8", "utf-16", "utf-8-sig", "latin-1"]),
    )
    def check(key, changes, submitter, depth, padding, encoding):
        body = valid_petition(land)
        body["submitter"] = {**body["submitter"], **submitter}
        body.update(changes)
        text = json.dumps(body)
        if depth:
            text = text[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
        raw = (text + " " * padding).encode(encoding, "surrogatepass")
        door(
            "raw post",
            "/api/v1/petitions",
            machine="api",
            data=raw,
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )

    check()


def test_any_bytes_as_a_body_or_a_code_at_the_api(door, key):
    @FUZZ
    @example(key=key, body=b"{}", code="AB%00CD", query=[(b"x", b"%00")])
    @example(key=key, body=b"\xff\xfe", code="%C2%B2", query=[])
    @given(
        key=keys_around(key),
        body=st.binary(max_size=200),
        code=SEGMENT,
        query=st.lists(st.tuples(WIRE, WIRE), max_size=3),
    )
    def check(key, body, code, query):
        headers = {"Authorization": f"Bearer {key}"}
        door(
            "raw post",
            f"/api/v1/petitions?{query_of(query)}",
            machine="api",
            data=body,
            content_type="application/json",
            headers=headers,
        )
        door("get", f"/api/v1/petitions/{code}", machine="api", headers=headers)
        door("get", f"/api/v1/provinces/{code}/communes", machine="api")

    check()


# --- Open311 --------------------------------------------------------------------


def test_any_query_and_path_at_open311_reads(door, key):
    names = st.sampled_from(
        [
            b"service_request_id",
            b"service_code",
            b"start_date",
            b"end_date",
            b"status",
            b"jurisdiction_id",
            b"api_key",
        ]
    )

    @FUZZ
    # The issue's own examples, then anything.
    @example(
        fmt="json",
        query=[(b"service_request_id", b"\x00")],
        dates=[],
        segment="x",
        key="",
    )
    @example(
        fmt="xml",
        query=[(b"service_code", b"\x00")],
        dates=[(b"end_date", b"0001-01-01")],
        segment="%00",
        key="",
    )
    @given(
        fmt=st.sampled_from(["json", "xml"]),
        query=st.lists(st.tuples(st.one_of(names, WIRE), WIRE), max_size=4),
        dates=st.lists(
            st.tuples(
                st.sampled_from([b"start_date", b"end_date"]),
                st.sampled_from(
                    [
                        b"0001-01-01",
                        b"0001-01-01T00:00:00+14:00",
                        b"9999-12-31T23:59:59-12:00",
                        b"2026-02-30",
                        b"2026-03-01T25:00:00",
                        b"\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa6-01-01",
                    ]
                ),
            ),
            max_size=2,
        ),
        segment=SEGMENT,
        key=keys_around(key),
    )
    def check(fmt, query, dates, segment, key):
        if key:
            query = [*query, (b"api_key", key.encode())]
        query = query_of([*query, *dates])
        for path in (
            f"/open311/v2/requests.{fmt}?{query}",
            f"/open311/v2/requests/{segment}.{fmt}?{query}",
            f"/open311/v2/tokens/{segment}.{fmt}?{query}",
            f"/open311/v2/services/{segment}.{fmt}",
        ):
            door("get", path, machine="open311")

    check()


def test_any_form_at_open311_filing(door, key, land):
    @FUZZ
    @example(
        key=key,
        fmt="json",
        changes=[(b"attribute[province]", "²".encode())],
        multipart=False,
        charset="",
    )
    @example(
        key=key,
        fmt="json",
        changes=[(b"external_id", b"zzX\xff")],
        multipart=True,
        charset="",
    )
    @example(
        key=key,
        fmt="xml",
        changes=[(b"description", b"\xff\xfe")],
        multipart=False,
        charset="",
    )
    @given(
        key=keys_around(key),
        fmt=st.sampled_from(["json", "xml"]),
        changes=st.lists(
            st.tuples(
                st.one_of(
                    st.sampled_from(
                        [
                            name.encode()
                            for name in [
                                *open311_params(land, ""),
                                "attribute[commune]",
                                "attribute[submitter_kind]",
                                "attribute[tax_code]",
                                "attribute[title]",
                                "phone",
                                "lat",
                                "long",
                            ]
                        ]
                    ),
                    WIRE,
                ),
                WIRE,
            ),
            max_size=4,
        ),
        multipart=st.booleans(),
        charset=st.sampled_from(["", "", "; charset=utf-8", "; charset=latin-1"]),
    )
    def check(key, fmt, changes, multipart, charset):
        fields = {
            name.encode(): value.encode()
            for name, value in open311_params(land, key).items()
        }
        fields.update(changes)
        if multipart:
            boundary = "fuzzb0undary"
            data = (
                b"".join(
                    b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                    % (boundary.encode(), name.replace(b'"', b""), value)
                    for name, value in fields.items()
                )
                + f"--{boundary}--\r\n".encode()
            )
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            data = query_of(fields.items()).encode()
            content_type = "application/x-www-form-urlencoded"
        door(
            "raw post",
            f"/open311/v2/requests.{fmt}",
            machine="open311",
            data=data,
            content_type=content_type + charset,
        )

    check()


# --- the citizen pages ------------------------------------------------------------


def test_any_input_at_the_citizen_form_and_pages(door, land):
    form_fields = [
        "submitter_kind",
        "submitter_name",
        "email",
        "phone",
        "tax_code",
        "category",
        "province",
        "commune",
        "title",
        "content",
        "publish_consent",
        "form_token",
    ]

    @FUZZ
    @example(changes=[(b"province", "²".encode())], segment="%00", query=[])
    @example(changes=[], segment="x", query=[(b"province", "²".encode())])
    @given(
        changes=st.lists(
            st.tuples(
                st.one_of(st.sampled_from([f.encode() for f in form_fields]), WIRE),
                WIRE,
            ),
            max_size=4,
        ),
        segment=SEGMENT,
        query=st.lists(st.tuples(WIRE, WIRE), max_size=3),
    )
    def check(changes, segment, query):
        fields = {
            b"submitter_kind": b"citizen",
            b"submitter_name": "Nguyễn Văn An".encode(),
            b"email": b"an@example.vn",
            b"category": land.code.encode(),
            b"province": str(factories.LANG_SON).encode(),
            b"title": "Đường hỏng".encode(),
            b"content": "Đường liên xã hỏng.".encode(),
        }
        fields.update(changes)
        door(
            "raw post",
            "/",
            data=query_of(fields.items()).encode(),
            content_type="application/x-www-form-urlencoded",
        )
        q = query_of(query)
        for path in (
            f"/?{q}",
            f"/answers/?q={segment}&{q}",
            f"/communes/?province={segment}",
            f"/communes/?{q}",
            f"/track/{segment}/",
            f"/track/?{q}",
        ):
            door("get", path)

    check()
