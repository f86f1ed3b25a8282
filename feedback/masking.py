"""Masking personal data in text that is published (feedback.queries).

Submitters often write their phone number, e-mail or ID card number into the text
itself; publication consent covers the matter, not those. The patterns err on the
side of masking: a number that looks like a phone or ID number is hidden.
"""

import re

EMAIL_MASK = "***@***"
NUMBER_MASK = "***"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers (0912 345 678, 0912.345.678, +84 912 345 678, 84912345678) and any
# other run of 9 or more digits (ID card: 9 or 12, tax code: 10 or 13), with the
# separators people type between groups.
NUMBER = re.compile(r"(?<![\d\w])(?:\+\s?)?\d(?:[\s.\-]?\d){8,}(?![\d\w])")
# Money is written with dots between thousands (1.500.000.000 đồng): not personal.
AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+")


def _mask_number(match: re.Match) -> str:
    text = match.group(0)
    return text if AMOUNT.fullmatch(text) else NUMBER_MASK


def mask_personal_data(text: str, *, names=()) -> str:
    """`text` with e-mail addresses, phone and ID numbers and the given names hidden."""
    text = EMAIL.sub(EMAIL_MASK, text or "")
    text = NUMBER.sub(_mask_number, text)
    for name in names:
        name = (name or "").strip()
        if len(name) >= 3:
            text = re.sub(re.escape(name), NUMBER_MASK, text, flags=re.IGNORECASE)
    return text
