"""What a submitter may send, through any door: each rule written once.

The web form (feedback.forms), the intake API (feedback.integrations.fields),
Open311 (feedback.integrations.open311) and the intake service
(workflow.services.intake) check with these limits and functions, so that a value
one door takes every door takes, and each stores it the same way. One table of
values runs through all four doors in tests/feedback/test_intake_doors.py.

A `clean_*` function returns the value as it is stored, or raises InvalidInput with
the field, a code, an English message (machine interfaces) and a translatable text
(pages).
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from workflow.errors import InvalidInput
from workflow.models import SubmitterKind

# --- lengths: the columns of workflow.Petition hold what these allow -----------------

SUBMITTER_NAME_MAX_LENGTH = 200
TITLE_MAX_LENGTH = 300
# A petition's text; the national portal sends long ones.
CONTENT_MAX_LENGTH = 20_000
EMAIL_MAX_LENGTH = 254
# As typed, with spaces, dots, dashes and brackets (stored without them).
PHONE_MAX_LENGTH = 20
# 10 digits, a dash and 3 digits.
TAX_CODE_MAX_LENGTH = 14
# A sending system's id for a petition (the portal's, an Open311 client's).
CHANNEL_REF_MAX_LENGTH = 100

# How long after an answer its submitter may dispute it (reopen), in days.
DISPUTE_WINDOW_DAYS = 30


# --- text that shows something -------------------------------------------------------

# What shows nothing: whitespace, control characters (U+0000-U+001F,
# U+007F-U+009F) and the format characters of the Basic Multilingual Plane
# (zero-width space and joiners, left-to-right and right-to-left marks,
# bidirectional embeddings, the byte-order mark…: Unicode's Cf there).
# `str.strip()` keeps most of them, so a title or an address made of them passed
# as given. Written as a character class that ECMAScript, Rust and Python read
# alike: the intake API's schema publishes it (feedback.integrations.fields).
INVISIBLE_CHARACTERS = (
    r"\s\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    r"\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    r"\ufff9-\ufffb"
)
VISIBLE_CHARACTER = rf"[^{INVISIBLE_CHARACTERS}]"
_VISIBLE = re.compile(VISIBLE_CHARACTER)


def has_text(value) -> bool:
    """Whether `value` holds at least one character a reader would see."""
    return _VISIBLE.search(value or "") is not None


def composed(value):
    """Text in Unicode's composed form (NFC), as every door stores it; anything
    else as it is, for the checks that follow to refuse.

    "Nguyễn" typed with combining marks (macOS, some keyboards and portals send
    them) and typed composed is one name: found, masked, compared, measured and
    printed alike. Composing changes no letter a reader sees."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


# --- characters no text may hold ------------------------------------------------------

# The control characters that are not whitespace: NUL (PostgreSQL text cannot
# hold it), the rest of C0 but tab and line breaks (U+0001-U+0008,
# U+000E-U+001B), DEL and C1 but NEL (U+007F-U+0084, U+0086-U+009F). No keyboard
# types them; a page shows nothing for them, a PDF a box, and a terminal reading
# a log or an export obeys them (ESC, U+001B, starts its commands). The
# whitespace controls (U+0009-U+000D, U+001C-U+001F, U+0085) are whitespace to
# every strip and split, and stay.
# And the explicit direction formatting characters: embeddings and overrides
# (U+202A-U+202E) and isolates (U+2066-U+2069). An override makes a text show in
# another order than it is stored, searched and read out: a name that is not the
# one filed, "‮fdp.exe" a file that is not a PDF, a title whose words run
# backwards in every list it sits in. No Vietnamese or English text needs one,
# and right-to-left scripts are ordered without them; the implicit marks
# (U+200E, U+200F, U+061C) reorder nothing and stay.
# A class body that ECMAScript, Rust and Python read alike: the intake API's
# schema publishes it (feedback.integrations.fields).
FORBIDDEN_CHARACTERS = r"\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069"
FORBIDDEN_CHARACTER = rf"[{FORBIDDEN_CHARACTERS}]"
_FORBIDDEN = re.compile(FORBIDDEN_CHARACTER)


def forbidden_character(value) -> str | None:
    """The first character of `value` that no text may hold, as "U+XXXX", or None."""
    found = _FORBIDDEN.search(value or "")
    return f"U+{ord(found.group()):04X}" if found else None


def without_forbidden_characters(value: str) -> str:
    """`value` without them, for text that cannot be sent back to be mended (an
    e-mail received, a file's name)."""
    return _FORBIDDEN.sub("", value)


def refuse_forbidden_characters(field: str, value) -> None:
    if (found := forbidden_character(value)) is not None:
        raise InvalidInput(
            f"{field} contains {found}, a character no text may hold.",
            field=field,
            code="forbidden_character",
            text=_("Nội dung có ký tự không được phép (%(character)s), vui lòng xoá."),
            params={"character": found},
        )


# --- the sender's own id -------------------------------------------------------------


def clean_channel_ref(value) -> str | None:
    """A sending system's id for a petition as stored and looked up: stripped, in
    Unicode's composed form (NFC), None when empty. "ĐẤT-1" typed with composed
    or decomposed letters is one id: read alike, it must not file two petitions.
    Letter case is kept: ids are the sender's, and "a-1" and "A-1" may be two."""
    if value is None:
        return None
    return composed(str(value).strip()) or None


def refuse_too_long(field: str, value, limit: int) -> None:
    """Refuse a text over `limit` characters, measured as it is stored: composed
    (NFC) may be longer than as sent ("\u0344" composes to two characters), and a
    column that cannot hold it would refuse it with a server error."""
    if value is not None and len(value) > limit:
        raise InvalidInput(
            f"{field} is longer than {limit} characters.",
            field=field,
            text=_("Tối đa %(limit)s ký tự."),
            params={"limit": limit},
        )


# --- tax code -------------------------------------------------------------------------

# An enterprise or organisation has a 10-digit tax code; each branch or dependent
# unit has the parent's 10 digits, a dash and 3 digits of its own (Law on Tax
# Administration 38/2019/QH14 art. 30; Circular 105/2020/TT-BTC art. 5). Invoices
# print 0101234567-001, some registers 0101234567001: both are taken, and stored
# with the dash. Spaces between groups are ignored. Since 1 July 2025 individuals
# and household businesses use their 12-digit personal identification number as
# their tax code (Circular 86/2024/TT-BTC): they file as citizens. No check digit is
# verified: the tax office's own register is the only proof of a code, and a
# wrongly refused business could not file at all.
# [0-9], not \d: Python's \d also matches other scripts' digits (workflow.codes).
TAX_CODE = re.compile(r"([0-9]{10})(?:-?([0-9]{3}))?")
# The same rule for the value as typed (spaces anywhere, blank for none) as a
# pattern the intake API's OpenAPI schema publishes: ECMAScript, Rust and Python
# regular expressions read it alike. _WS is what Python strips as whitespace
# (\s of other engines leaves out U+001C-U+001F). tests/workflow/
# test_intake_rules.py checks that pattern and function agree.
_WS = r"[\s\x1c-\x1f]"
TAX_CODE_AS_TYPED = (
    rf"^{_WS}*(?:(?:[0-9]{_WS}*){{10}}(?:-?{_WS}*(?:[0-9]{_WS}*){{3}})?)?$"
)

TAX_CODE_REQUIRED = _("Doanh nghiệp, tổ chức cần nhập mã số thuế.")
TAX_CODE_FORMAT = _(
    "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số "
    "(ví dụ 0101234567-001)."
)


def clean_tax_code(value, *, submitter_kind) -> str:
    """The tax code as stored (10 digits, or 10-3), "" when none is given.

    A business must give one; anyone who gives one must give a well-formed one.
    """
    value = "".join((value or "").split())
    if not value:
        if submitter_kind == SubmitterKind.BUSINESS:
            raise InvalidInput(
                "A business must give its tax code.",
                field="tax_code",
                code="tax_code_required",
                text=TAX_CODE_REQUIRED,
            )
        return ""
    match = TAX_CODE.fullmatch(value)
    if match is None:
        raise InvalidInput(
            "A tax code has 10 digits, or 10 digits, a dash and 3 more.",
            field="tax_code",
            code="tax_code_format",
            text=TAX_CODE_FORMAT,
        )
    main, branch = match.groups()
    return f"{main}-{branch}" if branch else main


# --- phone ----------------------------------------------------------------------------

# Vietnamese subscriber numbers, as people write them: 0912 345 678, 0912.345.678,
# 0912-345-678, +84 912 345 678, 84912345678, 0084 912 345 678, (024) 3823 4567,
# +84 (0)24 3823 4567. After the trunk 0 or the country code 84 comes the national
# number of the numbering plan in force since the renumbering of 2017 (landlines)
# and 2018 (mobiles): a mobile number is 9 digits starting 3, 5, 7, 8 or 9, a
# landline 10 digits starting 2 (its area code 2x or 2xx, then the subscriber).
# Refused: numbers abroad (notifications go by SMS through a Vietnamese gateway; a
# submitter abroad gives an e-mail address), 1800/1900 service numbers (they take
# no SMS and reach no one in particular), the 11-digit mobile numbers retired in
# 2018, and anything with letters. Stored without separators, the way it was
# dialled: 0912345678, or +84912345678 for every international spelling.
PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
PHONE = re.compile(
    r"(?:(?P<international>\+84|0084|84)0?|0)(?P<number>[35789][0-9]{8}|2[0-9]{9})"
)

# The same rule for the number as typed, separators anywhere, blank for none (as
# TAX_CODE_AS_TYPED).
_SEP = r"[\s\x1c-\x1f.()\-]*"
PHONE_AS_TYPED = (
    rf"^{_WS}*$|^{_SEP}"
    rf"(?:(?:\+{_SEP}8{_SEP}4|0{_SEP}0{_SEP}8{_SEP}4|8{_SEP}4){_SEP}(?:0{_SEP})?|0{_SEP})"
    rf"(?:[35789]{_SEP}(?:[0-9]{_SEP}){{8}}|2{_SEP}(?:[0-9]{_SEP}){{9}})$"
)

PHONE_FORMAT = _("Số điện thoại chưa đúng, ví dụ 0912 345 678.")


def clean_phone(value) -> str:
    """The phone number as stored (0… or +84…, digits only), "" when none is given."""
    value = (value or "").strip()
    if not value:
        return ""
    match = (
        PHONE.fullmatch(PHONE_SEPARATORS.sub("", value))
        if len(value) <= PHONE_MAX_LENGTH
        else None
    )
    if match is None:
        raise InvalidInput(
            "Not a Vietnamese phone number: write it as 0912 345 678, "
            "+84 912 345 678 or (024) 3823 4567.",
            field="phone",
            code="phone_format",
            text=PHONE_FORMAT,
        )
    prefix = "+84" if match["international"] else "0"
    return prefix + match["number"]


# --- choices left empty: each field says what to choose --------------------------

CATEGORY_REQUIRED = _("Vui lòng chọn lĩnh vực của phản ánh.")
PROVINCE_REQUIRED = _("Vui lòng chọn tỉnh, thành phố nơi xảy ra sự việc.")
SUBMITTER_KIND_REQUIRED = _("Vui lòng chọn gửi với tư cách cá nhân hay doanh nghiệp.")

# A category the admin closed still exists (its petitions keep it); a code that
# never existed is a mistake in the list, not a closed category.
CATEGORY_UNKNOWN = _("Không có lĩnh vực này, vui lòng chọn lĩnh vực trong danh sách.")
CATEGORY_CLOSED = _("Lĩnh vực này không còn tiếp nhận, vui lòng chọn lĩnh vực khác.")


# --- e-mail and reachability ----------------------------------------------------------

EMAIL_FORMAT = _("Địa chỉ thư điện tử chưa đúng, ví dụ nguyenvanan@gmail.com.")
CONTACT_REQUIRED = _(
    "Vui lòng nhập thư điện tử hoặc số điện thoại để nhận thông báo kết quả."
)


def is_email(value: str) -> bool:
    """Django's rule for an address (the same as its EmailField), within 254 chars."""
    if len(value) > EMAIL_MAX_LENGTH:
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def clean_email(value) -> str:
    """The e-mail address as stored (trimmed), "" when none is given."""
    value = (value or "").strip()
    if value and not is_email(value):
        raise InvalidInput(
            f"{value!r} is not an email address.",
            field="email",
            code="email_format",
            text=EMAIL_FORMAT,
        )
    return value


CONTACT_REQUIRED_BY_STAFF = _(
    "Nhập thư điện tử, số điện thoại hoặc địa chỉ bưu chính để trả lời người gửi."
)


def require_contact(
    *, email: str, phone: str, postal_address: str = "", by_staff: bool = False
) -> None:
    """The agency must be able to tell the submitter the outcome (Decree 20/2008).

    Online, by e-mail or SMS; a petition entered by staff (a letter, a visit to the
    counter) may give a postal address alone, and is then answered by letter.
    """
    if email or phone or (by_staff and postal_address):
        return
    if by_staff:
        raise InvalidInput(
            "Give an email address, a phone number or a postal address.",
            field="email",
            code="contact_required",
            text=CONTACT_REQUIRED_BY_STAFF,
        )
    raise InvalidInput(
        "Give an email address or a phone number.",
        field="email",
        code="contact_required",
        text=CONTACT_REQUIRED,
    )


# --- postal address (staff intake only) -----------------------------------------

POSTAL_ADDRESS_MAX_LENGTH = 500
POSTAL_ADDRESS_TOO_LONG = _("Địa chỉ bưu chính dài quá 500 ký tự.")


def clean_postal_address(value, *, by_staff: bool) -> str:
    """The postal address as stored (one line, spaces collapsed), "" when none.

    Only staff take one: online doors answer by e-mail or SMS, and an address typed
    into a public form would be a letter posted to whoever it names.
    """
    value = " ".join((value or "").split())
    if not has_text(value):
        return ""
    if not by_staff:
        raise InvalidInput(
            "A postal address is taken only by staff intake.",
            field="postal_address",
            code="postal_address_not_taken",
        )
    if "\x00" in value or len(value) > POSTAL_ADDRESS_MAX_LENGTH:
        raise InvalidInput(
            f"A postal address has at most {POSTAL_ADDRESS_MAX_LENGTH} characters "
            "and no NUL.",
            field="postal_address",
            code="postal_address_format",
            text=POSTAL_ADDRESS_TOO_LONG,
        )
    return value


# --- where: the place the petition is about (every door) -----------------------------

PLACE_MAX_LENGTH = 300
PLACE_TOO_LONG = _("Địa chỉ nơi xảy ra sự việc dài quá 300 ký tự.")
COORDINATES_FORMAT = _(
    "Vị trí trên bản đồ chưa đúng: cần cả vĩ độ và kinh độ, ví dụ 21.8537, 106.7615."
)


def clean_place(place, latitude, longitude) -> dict:
    """Where the petition is about: an address as typed and, if given, a point.

    Latitude and longitude come together or not at all, in decimal degrees on the
    globe, kept to 6 decimals (about 10 cm); they are data, not words in the text,
    so that Open311 can serve them back and a map can show them.
    """
    place = " ".join((place or "").split())
    if "\x00" in place or len(place) > PLACE_MAX_LENGTH:
        raise InvalidInput(
            f"place has at most {PLACE_MAX_LENGTH} characters and no NUL.",
            field="place",
            code="place_format",
            text=PLACE_TOO_LONG,
        )
    point: dict[str, Decimal | None] = {"latitude": None, "longitude": None}
    given = [v for v in (latitude, longitude) if v not in (None, "")]
    if given:
        coordinates = _coordinates(latitude, longitude) if len(given) == 2 else None
        if coordinates is None:
            raise InvalidInput(
                "latitude and longitude: give both, in decimal degrees on the globe.",
                field="latitude",
                code="coordinates_format",
                text=COORDINATES_FORMAT,
            )
        quantum = Decimal("0.000001")
        lat, long = coordinates
        point = {"latitude": lat.quantize(quantum), "longitude": long.quantize(quantum)}
    return {"place": place, **point}


def _coordinates(latitude, longitude) -> tuple[Decimal, Decimal] | None:
    """Both as decimal degrees on the globe, or None."""
    texts = [str(v).strip() for v in (latitude, longitude)]
    if not all(text.isascii() for text in texts):
        return None  # Decimal("٢١") is 21: only the digits 0-9 (workflow.codes)
    try:
        lat, long = (Decimal(text) for text in texts)
    except (ValueError, ArithmeticError):
        return None
    if not (lat.is_finite() and long.is_finite()):
        return None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        return None
    return lat, long


# --- attachments (the web form's files; the limits are settings) ---------------------


@dataclass(frozen=True)
class FileLimits:
    """How many files a submitter may attach, and how large (FEEDBACK_* settings)."""

    count: int
    each_bytes: int
    total_bytes: int

    @classmethod
    def from_settings(cls) -> "FileLimits":
        return cls(
            count=settings.FEEDBACK_MAX_ATTACHMENTS,
            each_bytes=settings.FEEDBACK_ATTACHMENT_MAX_BYTES,
            total_bytes=settings.FEEDBACK_ATTACHMENTS_TOTAL_MAX_BYTES,
        )

    def count_problem(self, count: int):
        """The page text refusing `count` files, or None."""
        if count > self.count:
            return _("Chỉ được đính kèm tối đa %(count)s tệp.") % {"count": self.count}
        return None

    def file_problem(self, name: str, size: int):
        """The page text refusing one file for its size, or None."""
        if size == 0:
            return _("Tệp «%(name)s» không có nội dung.") % {"name": name}
        if size > self.each_bytes:
            return _("Tệp «%(name)s» lớn hơn %(size)s MB.") % {
                "name": name,
                "size": megabytes(self.each_bytes),
            }
        return None

    def total_problem(self, total: int):
        """The page text refusing files that are together too large, or None."""
        if total > self.total_bytes:
            return _("Tổng dung lượng các tệp vượt quá %(size)s MB.") % {
                "size": megabytes(self.total_bytes)
            }
        return None


def megabytes(size_bytes: int) -> str:
    return f"{size_bytes / (1024 * 1024):g}"
