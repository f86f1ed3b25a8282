"""Masking personal data in text that is published (feedback.queries).

Submitters write their phone number, e-mail, ID card number, house address or
licence plate into the text itself; publication consent covers the matter, not
those. The rules err on the side of masking: a number that could be a phone, ID,
tax code or account number is hidden unless it is clearly money (a currency word
follows, or "số tiền", "phí"… precedes) or one of the agencies' published contacts
(their hotline and e-mail, data on the Agency), which answers must keep showing.
A street or a commune named alone is the matter of many petitions and stays; a
house number, an alley or a hamlet locates a household and goes.
"""

import re
from collections.abc import Iterable

from workflow.redaction import phrase_spans

EMAIL_MASK = "***@***"
MASK = "***"

# Vietnamese capitalised words (names of streets, hamlets): an upper-case letter
# first. `re` has no class for upper-case letters: it is listed from Unicode.
_UPPER = (
    "["
    + "".join(
        re.escape(c)
        for c in map(chr, range(0x41, 0x2000))
        if c.isalpha() and c.isupper()
    )
    + "]"
)
NAME_WORDS = rf"{_UPPER}[^\W\d_]*(?:[ \-]{_UPPER}[^\W\d_]*)*"
HOUSE_NUMBER = r"\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# An address spelled out so that robots miss it: "an.nv (at) gmail.com",
# "an.nv @ gmail.com", "an.nv[at]gmail chấm com", "an.nv a còng gmail.com".
_SPELLED_AT = (
    r"(?:\s*@\s*|\s*[(\[{]\s*(?:at|a còng|a cong)\s*[)\]}]\s*|\s+(?:a còng|a cong)\s+)"
)
_SPELLED_DOT = r"(?:\.|\s*[(\[{]\s*(?:dot|chấm|cham)\s*[)\]}]\s*|\s+(?:chấm|dot)\s+)"
SPELLED_EMAIL = re.compile(rf"(?i)[\w.+-]+{_SPELLED_AT}[\w-]+(?:{_SPELLED_DOT}[\w-]+)+")

# A run of digits with the separators people type between groups (one space, dot
# or dash; a few spaces; a slash between spaces: "0912  345  678", "0912 / 345"),
# optionally "+" in front and an area code in parentheses. A slash without spaces
# stays a separator of dates and document numbers (15/3/2026, 123/QĐ-UBND).
_GROUP_GAP = r"(?:[ .\-]|[ \t]{2,3}|[ \t]+/[ \t]+)"
DIGIT_RUN = re.compile(
    r"(?<![\w/.,+])(?:\+\s?)?(?:\(\+?\d{2,4}\)\s?)?\d"
    rf"(?:{_GROUP_GAP}?\d)*(?![\w/]|[.,]\d)"
)
# Identity, tax and account numbers named as such may be shorter than 9 digits.
CUED_NUMBER = re.compile(
    r"(?i)\b(?:tài khoản(?: số)?|stk|số tk|cmnd(?: số)?|cccd(?: số)?|hộ chiếu(?: số)?"
    r"|mã số thuế|mst)\s*:?\s*(?P<number>[A-Z]?\d(?:[ .\-]?\d){5,})"
)
PASSPORT = re.compile(r"(?i)\bhộ chiếu(?: số)?\s*:?\s*(?P<number>[A-Z]\d{7})\b")
# Licence plates: 12A-123.45, 29A 12345, 12-B1 234.56, 29B1-23456.
PLATE = re.compile(
    r"(?<![\w.])\d{2}\s?-?\s?[A-Z]{1,2}\d?\s?[-. ]?\s?\d{3}\.?\d{1,2}(?!\w|\.\d)"
)

# Money: a currency word right after the amount, or a money word right before.
MONEY_AFTER = re.compile(r"\s?(?:đồng|đ\b|vnđ|vnd|triệu|tỷ|nghìn|ngàn)", re.I)
MONEY_BEFORE = re.compile(
    r"(?:số tiền|lệ phí|phí|giá|tổng cộng|tổng số tiền|nộp|thu|chi|bồi thường|"
    r"hỗ trợ|mức)\s*(?:là)?\s*:?\s*$",
    re.I,
)
AMOUNT = re.compile(r"[1-9]\d{0,2}(?:[ .,]\d{3})+|[1-9]\d*")
# Service numbers of businesses and the state (1800…, 1900…) are not personal.
SERVICE_NUMBER = re.compile(r"1[89]00\d{4}(?:\d{2})?")
# Shorter runs are years, counts, parcel numbers…: not personal.
MIN_PERSONAL_DIGITS = 9

# Household addresses: house numbers with alleys and their street, hamlets, and
# what follows "trú tại" / "Địa chỉ:" up to the end of the clause.
_ALLEY = rf"(?i:ngõ|ngách|hẻm|kiệt)\s+{HOUSE_NUMBER}"
_HOUSE = rf"(?i:số nhà|nhà số|số)\s+{HOUSE_NUMBER}"
# A house number counts only before an alley, a street or a street's name.
_AFTER_HOUSE = rf"(?=,?\s+(?:(?i:ngõ|ngách|hẻm|kiệt|đường|phố)\b|{_UPPER}))"
HOUSE_ADDRESS = re.compile(
    rf"\b(?:{_HOUSE}{_AFTER_HOUSE}|{_ALLEY})(?:,?\s+{_ALLEY})*"
    rf"(?:,?\s+(?i:đường|phố)\s+{NAME_WORDS}|,?\s+{NAME_WORDS})?"
)
# The commonest way to write where one lives has no "số": "ở 18 Hoàng Diệu",
# "nhà 45 Lê Lợi", "tại 123/45/6 Nguyễn Trãi". Only after such a word, since a
# number before capitalised words is also an article ("Điều 147 Bộ luật").
CUED_HOUSE = re.compile(
    rf"\b(?i:nhà|ở|tại)\s+(?P<place>{HOUSE_NUMBER}"
    rf"(?:,?\s+(?i:đường|phố)\s+{NAME_WORDS}|,?\s+{NAME_WORDS}))"
)
HAMLET = re.compile(
    rf"\b(?i:tổ dân phố|thôn|xóm|bản|ấp|tổ|khu phố)\s+(?:{NAME_WORDS}|\d+\b)"
)
RESIDENCE = re.compile(
    r"(?i:\b(?:thường trú|tạm trú|cư trú|trú)\s+tại|nơi ở(?: hiện nay)?\s*:|"
    r"nơi cư trú\s*:?|địa chỉ(?: liên hệ| thường trú)?\s*:)\s*"
    r"(?P<place>[^.;\n()]{3,160})"
)


def digits_of(text: str) -> str:
    """A phone number as dialled inside Vietnam: +84 / 84 become a leading 0."""
    digits = re.sub(r"\D", "", text or "")
    if (text or "").lstrip().startswith("+") and digits.startswith("84"):
        return "0" + digits[2:]
    if digits.startswith("84") and len(digits) in (11, 12):
        return "0" + digits[2:]
    return digits


def _is_money(text: str, match: re.Match) -> bool:
    number = match.group(0)
    if not AMOUNT.fullmatch(number):
        return False
    after = text[match.end() : match.end() + 8]
    before = text[max(0, match.start() - 25) : match.start()]
    return bool(MONEY_AFTER.match(after) or MONEY_BEFORE.search(before))


def _number_spans(text, kept_numbers):
    for match in DIGIT_RUN.finditer(text):
        digits = digits_of(match.group(0))
        if len(digits) < MIN_PERSONAL_DIGITS:
            continue
        if digits in kept_numbers or SERVICE_NUMBER.fullmatch(digits):
            continue
        if _is_money(text, match):
            continue
        yield match.span()


def _spans(text: str, *, names, kept_numbers, kept_emails):
    for match in EMAIL.finditer(text):
        if match.group(0).lower() not in kept_emails:
            yield match.span(), EMAIL_MASK
    for match in SPELLED_EMAIL.finditer(text):
        if not EMAIL.fullmatch(match.group(0)):  # as typed: the loop above saw it
            yield match.span(), EMAIL_MASK
    for pattern in (CUED_NUMBER, PASSPORT):
        for match in pattern.finditer(text):
            if digits_of(match.group("number")) not in kept_numbers:
                yield match.span("number"), MASK
    for span in _number_spans(text, kept_numbers):
        yield span, MASK
    for pattern in (PLATE, HOUSE_ADDRESS, HAMLET):
        for match in pattern.finditer(text):
            yield match.span(), MASK
    for match in CUED_HOUSE.finditer(text):
        yield match.span("place"), MASK
    for match in RESIDENCE.finditer(text):
        start, end = match.span("place")
        place = match.group("place")
        yield (start, start + len(place.rstrip())), MASK
    for span in phrase_spans(text, names):
        yield span, MASK


def mask_personal_data(
    text: str, *, names: Iterable[str] = (), keep: Iterable[str] = ()
) -> str:
    """`text` with personal data hidden: e-mail addresses, phone, ID, tax, account
    and plate numbers, house addresses and hamlets, and the given names.

    `keep` lists published contacts (phone numbers, e-mail addresses) that stay.
    """
    text = text or ""
    keep = [k for k in keep if k]
    kept_emails = {k.strip().lower() for k in keep if "@" in k}
    kept_numbers = {digits_of(k) for k in keep if "@" not in k}
    spans = sorted(
        _spans(text, names=names, kept_numbers=kept_numbers, kept_emails=kept_emails),
        key=lambda item: (item[0][0], -item[0][1]),
    )
    # Overlapping finds (a house number inside a residence clause) become one mask.
    merged: list[list] = []
    for (start, end), mask in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if mask == MASK:
                merged[-1][2] = MASK
        else:
            merged.append([start, end, mask])
    for start, end, mask in reversed(merged):
        text = text[:start] + mask + text[end:]
    return text
