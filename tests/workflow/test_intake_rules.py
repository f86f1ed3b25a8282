"""One table of submitter values, run through every door: each takes and stores
what the others take, and refuses what they refuse (workflow.intake_rules)."""

import json
import re
import unicodedata

import pytest
from django.utils import timezone
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from feedback.integrations.keys import issue_api_key
from tests import factories
from workflow import intake_rules as rules
from workflow import services
from workflow.errors import InvalidInput
from workflow.models import Petition
from workflow.privacy.consent import current_notices

# (value as typed, as stored); None: refused.
PHONES = [
    ("0912345678", "0912345678"),
    ("0912 345 678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("0912-345-678", "0912345678"),
    ("039 123 4567", "0391234567"),
    ("+84 912 345 678", "+84912345678"),
    ("84912345678", "+84912345678"),
    ("0084 912 345 678", "+84912345678"),
    ("+84 (0) 912 345 678", "+84912345678"),
    ("(024) 3823 4567", "02438234567"),
    ("0205 3812 345", "02053812345"),
    ("12ab", None),
    ("0912-CALL-ME", None),
    ("091234567", None),  # a digit short
    ("09123456789", None),  # a digit too many for a mobile
    ("01623456789", None),  # an 11-digit mobile number, retired in 2018
    ("0412345678", None),  # no such range
    ("1900 1234", None),  # a service number takes no SMS
    ("+1 202 555 0100", None),  # abroad: the SMS gateway is Vietnamese
    ("0" * 21, None),
    # Only the digits 0-9: Arabic-Indic, full-width and superscript digits are not
    # a number anyone can dial (Python's \d would take the first two).
    ("٠٩١٢٣٤٥٦٧٨", None),
    ("０９１２３４５６７８", None),
    ("091234567⁸", None),
]
TAX_CODES = [
    ("0101234567", "0101234567"),
    ("0101234567-001", "0101234567-001"),
    ("0101234567001", "0101234567-001"),
    ("0101 234 567", "0101234567"),
    ("", None),  # a business must give one
    ("12AB", None),
    ("010123456", None),
    ("01012345678", None),
    ("0101234567-01", None),
    ("01012345670012", None),
    ("0101-234567001", None),
    ("0101234567--001", None),
    ("٠١٠١٢٣٤٥٦٧", None),
    ("０１０１２３４５６７", None),
    ("010123456²", None),
]
EMAILS = [
    ("an@example.vn", "an@example.vn"),
    ("An.Nguyen+pakn@so.example.vn", "An.Nguyen+pakn@so.example.vn"),
    ("not-an-address", None),
    ("an@", None),
    ("an @example.vn", None),
    ("an@example..vn", None),
]
CASES = [
    *[("phone", typed, stored) for typed, stored in PHONES],
    *[("tax_code", typed, stored) for typed, stored in TAX_CODES],
    *[("email", typed, stored) for typed, stored in EMAILS],
]


def submitter(field, value):
    """The submitter's contact fields with `field` set to `value`."""
    values = {"kind": "citizen", "email": "an@example.vn", "phone": "", "tax_code": ""}
    if field == "tax_code":
        values["kind"] = "business"
    if field == "phone":
        values["email"] = ""  # the phone alone must reach the submitter
    values[field] = value
    return values


# --- the four doors: each answers the stored petition, or the fields it refused ---


def through_the_service(values, land):
    try:
        return services.submit_petition(
            channel="portal",
            submitter_kind=values["kind"],
            submitter_name="Nguyễn Văn An",
            email=values["email"],
            phone=values["phone"],
            tax_code=values["tax_code"],
            title="Đường liên xã xuống cấp",
            content="Đề nghị sửa chữa.",
            category=land.code,
            province=factories.LANG_SON,
        ).petition
    except InvalidInput as error:
        return {error.field}


def through_the_form(values, land, client):
    response = client.post(
        "/",
        {
            "submitter_kind": values["kind"],
            "submitter_name": "Nguyễn Văn An",
            "email": values["email"],
            "phone": values["phone"],
            "tax_code": values["tax_code"],
            "category": land.code,
            "province": str(factories.LANG_SON),
            "title": "Đường liên xã xuống cấp",
            "content": "Đề nghị sửa chữa.",
            "processing_consent": "on",
            "processing_notice": str(current_notices()["processing"].pk),
        },
    )
    if response.status_code == 400:
        return set(response.context["form"].errors)
    assert response.status_code == 200
    return Petition.objects.get()


def through_the_api(values, land, client):
    _, key = issue_api_key(name="portal", now=timezone.now())
    response = client.post(
        "/api/v1/petitions",
        data=json.dumps(
            {
                "external_id": "DVC-1",
                "submitter": {
                    "kind": values["kind"],
                    "name": "Nguyễn Văn An",
                    "email": values["email"],
                    "phone": values["phone"],
                    "tax_code": values["tax_code"],
                },
                "title": "Đường liên xã xuống cấp",
                "content": "Đề nghị sửa chữa.",
                "category": land.code,
                "province": factories.LANG_SON,
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    if response.status_code == 400:
        return {name.removeprefix("submitter.") for name in response.json()["errors"]}
    assert response.status_code == 201, response.content
    return Petition.objects.get()


def through_open311(values, land, client):
    _, key = issue_api_key(name="open311-app", now=timezone.now())
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": land.code,
            "first_name": "Văn An",
            "last_name": "Nguyễn",
            "email": values["email"],
            "phone": values["phone"],
            "description": "Đường liên xã xuống cấp\nĐề nghị sửa chữa.",
            "attribute[province]": str(factories.LANG_SON),
            "attribute[submitter_kind]": values["kind"],
            "attribute[tax_code]": values["tax_code"],
        },
    )
    if response.status_code == 400:
        names = {e["description"].split(":")[0] for e in response.json()}
        return {name.removeprefix("attribute[").rstrip("]") for name in names}
    assert response.status_code == 201, response.content
    return Petition.objects.get()


DOORS = {
    "service": lambda values, land, client: through_the_service(values, land),
    "form": through_the_form,
    "api": through_the_api,
    "open311": through_open311,
}


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize(("field", "typed", "stored"), CASES)
def test_every_door_takes_and_refuses_the_same_submitter_values(
    door, field, typed, stored, land, client
):
    outcome = DOORS[door](submitter(field, typed), land, client)

    if stored is None:
        # Refused, naming the field, and nothing is kept.
        assert outcome == {field}
        assert Petition.objects.count() == 0
    else:
        # Taken, and stored in the one spelling every door stores.
        assert isinstance(outcome, Petition), outcome
        assert getattr(Petition.objects.get(pk=outcome.pk), field) == stored


# --- the rules as the API's schema publishes them ---------------------------------

# The characters phone numbers and tax codes are typed with, and some they are not.
TYPED = st.text(
    st.sampled_from(list("0123456789+-.() \t\n\x1c") + ["٢", "²", "a", "\u00a0"]),
    max_size=20,
)


def taken(rule, value) -> bool:
    try:
        rule(value)
    except InvalidInput:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(st.one_of(TYPED, st.from_regex(rules.PHONE_AS_TYPED)))
def test_the_published_phone_pattern_takes_what_the_rule_takes(value):
    assume(len(value) <= rules.PHONE_MAX_LENGTH)

    assert taken(rules.clean_phone, value) == bool(
        re.search(rules.PHONE_AS_TYPED, value)
    )


@settings(max_examples=400, deadline=None)
@given(st.one_of(TYPED, st.from_regex(rules.TAX_CODE_AS_TYPED)))
def test_the_published_tax_code_pattern_takes_what_the_rule_takes(value):
    assume(len(value) <= rules.TAX_CODE_MAX_LENGTH)

    def rule(v):
        return rules.clean_tax_code(v, submitter_kind="citizen")

    assert taken(rule, value) == bool(re.search(rules.TAX_CODE_AS_TYPED, value))


# Every character that shows nothing, some that show, and any at all.
INVISIBLE_OR_NOT = st.text(
    st.one_of(
        st.sampled_from(
            [c for c in map(chr, range(0x3000)) if unicodedata.category(c) == "Cf"]
            + [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]
            + [" ", "\u3000", "\u00a0", "a", "Đ", "٢"]
        ),
        st.characters(),
    ),
    max_size=6,
)


@settings(max_examples=600, deadline=None)
@given(INVISIBLE_OR_NOT)
def test_the_published_text_patterns_are_the_rules_for_a_text(value):
    # What the schema publishes for a text field (fields.REQUIRED_TEXT and
    # OPTIONAL_TEXT) is what intake takes: a visible character where required,
    # and no character no text may hold.
    from feedback.integrations.fields import OPTIONAL_TEXT, REQUIRED_TEXT

    allowed = rules.forbidden_character(value) is None
    assert bool(re.search(OPTIONAL_TEXT, value)) == allowed
    assert bool(re.search(REQUIRED_TEXT, value)) == (allowed and rules.has_text(value))


@settings(max_examples=600, deadline=None)
@given(INVISIBLE_OR_NOT)
def test_the_published_non_blank_pattern_is_the_rule_for_a_required_text(value):
    # The API's schema says what a required text must hold (fields.NON_BLANK);
    # intake refuses what has_text finds empty: a client that follows the schema
    # is never refused for it, nor taken where intake would refuse.
    from feedback.integrations.fields import NON_BLANK

    assert rules.has_text(value) == bool(re.search(NON_BLANK, value))
    if value and all(unicodedata.category(c) in ("Cf", "Cc", "Zs") for c in value):
        if all(ord(c) < 0x10000 for c in value):
            assert not rules.has_text(value)
