from feedback.masking import mask_personal_data


def test_phone_numbers_in_any_usual_spelling_are_masked():
    text = "Gọi 0912 345 678, 0912.345.678, +84 912 345 678 hoặc 02053812345."
    assert mask_personal_data(text) == "Gọi ***, ***, *** hoặc ***."


def test_email_addresses_are_masked():
    assert (
        mask_personal_data("Liên hệ an.nguyen+pakn@mail.gov.vn nhé")
        == "Liên hệ ***@*** nhé"
    )


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
        == "Tôi là ***, ở thôn 3"
    )
