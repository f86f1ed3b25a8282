import pytest

from feedback.masking import mask_personal_data
from tests.feedback.masking_corpus import (
    CORPUS,
    NAME,
    PUBLISHED_EMAIL,
    PUBLISHED_PHONE,
)


@pytest.mark.parametrize(
    "typed, published", [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS]
)
def test_the_corpus_is_published_as_expected(typed, published):
    masked = mask_personal_data(
        typed, names=[NAME], keep=[PUBLISHED_PHONE, PUBLISHED_EMAIL]
    )
    assert masked == published


def test_the_whole_corpus_as_one_text_masks_the_same(db=None):
    # Finds must not reach across the sentences around them.
    typed = "\n".join(c[1] for c in CORPUS)
    expected = "\n".join(c[2] for c in CORPUS)
    assert (
        mask_personal_data(typed, names=[NAME], keep=[PUBLISHED_PHONE, PUBLISHED_EMAIL])
        == expected
    )


def test_without_the_agency_contacts_its_hotline_is_masked_like_any_number():
    assert mask_personal_data(f"liên hệ số {PUBLISHED_PHONE}") == "liên hệ số ***"


def test_phone_numbers_in_any_usual_spelling_are_masked():
    text = "Gọi 0912 345 678, 0912.345.678, +84 912 345 678 hoặc 02053812345."
    assert mask_personal_data(text) == "Gọi ***, ***, *** hoặc ***."


def test_id_and_tax_numbers_are_masked_but_amounts_years_and_decision_numbers_stay():
    text = (
        "CCCD 001203004567, MST 0101234567-001; "
        "phí 1.500.000.000 đồng năm 2025 (QĐ 1234/QĐ-UBND)"
    )
    assert mask_personal_data(text) == (
        "CCCD ***, MST ***; phí 1.500.000.000 đồng năm 2025 (QĐ 1234/QĐ-UBND)"
    )


def test_the_submitters_name_is_masked_in_any_case():
    assert (
        mask_personal_data("Tôi là NGUYỄN VĂN AN, ở thôn 3", names=["Nguyễn Văn An"])
        == "Tôi là ***, ở ***"
    )
