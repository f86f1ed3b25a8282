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


def test_phone_groups_apart_by_several_spaces_or_a_spaced_slash_are_masked():
    text = "Gọi 0912  345  678 hoặc 0912 / 345 / 679, ngày 15/3/2026 lúc 9 giờ."
    assert mask_personal_data(text) == "Gọi *** hoặc ***, ngày 15/3/2026 lúc 9 giờ."


def test_e_mail_addresses_spelled_out_are_masked():
    text = (
        "Thư: khuong.nv (at) gmail.com, khuong.nv @ gmail.com, "
        "an[at]yahoo chấm com.vn hoặc an a còng gmail.com. Liên hệ @ UBND xã."
    )
    assert mask_personal_data(text) == (
        "Thư: ***@***, ***@***, ***@*** hoặc ***@***. Liên hệ @ UBND xã."
    )


def test_a_name_typed_without_its_marks_or_decomposed_is_masked_too():
    import unicodedata

    names = ["Nguyễn Văn Khương"]
    typed = "Toi ten Nguyen Van  Khuong, con NGUYEN VAN KHUONGG la nguoi khac."
    assert mask_personal_data(typed, names=names) == (
        "Toi ten ***, con NGUYEN VAN KHUONGG la nguoi khac."
    )
    decomposed = unicodedata.normalize("NFD", "Tôi là Nguyễn Văn Khương, ở đây.")
    assert mask_personal_data(decomposed, names=names) == (
        unicodedata.normalize("NFD", "Tôi là ***, ở đây.")
    )
    # One word is found only as written: without its marks it is often another
    # word ("Hải", "hai": two).
    assert mask_personal_data("hai người, ông Hải", names=["Hải"]) == (
        "hai người, ông ***"
    )
