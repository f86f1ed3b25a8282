import pytest
from django.utils import translation

from feedback.files import PNG
from feedback.forms import PetitionForm
from tests import factories
from tests.feedback.samples import EXE_BYTES, PDF_BYTES, PNG_BYTES, upload


def form_with(data, files=None):
    return PetitionForm(data, files or {})


def test_a_complete_submission_is_valid_and_maps_onto_the_intake_service(form_data):
    form = form_with(form_data)
    assert form.is_valid(), form.errors
    fields = form.petition_fields()
    assert fields["category"] == "land"
    assert fields["province"] == factories.LANG_SON
    assert fields["commune"] is None
    assert fields["attachments"] == ()


def test_missing_contact_and_a_bad_tax_code_are_reported_together(form_data):
    form_data.update(submitter_kind="business", tax_code="12345", email="")
    form = form_with(form_data)
    assert form.is_valid() is False
    # Both mistakes at once, so the submitter fixes them in one go.
    assert "mã số thuế" in form.errors["tax_code"][0].lower()
    assert "thư điện tử hoặc số điện thoại" in form.errors["email"][0]


def test_a_business_must_give_its_tax_code(form_data):
    form_data.update(submitter_kind="business", tax_code="")
    form = form_with(form_data)
    assert form.is_valid() is False
    assert form.errors["tax_code"] == ["Doanh nghiệp, tổ chức cần nhập mã số thuế."]


@pytest.mark.parametrize("tax_code", ["0101234567", "0101234567-001"])
def test_a_business_tax_code_of_ten_or_ten_and_three_digits_is_accepted(
    form_data, tax_code
):
    form_data.update(submitter_kind="business", tax_code=tax_code)
    form = form_with(form_data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tax_code"] == tax_code


def test_a_tax_code_left_in_the_hidden_field_by_a_citizen_is_ignored(form_data):
    form_data.update(submitter_kind="citizen", tax_code="abc")
    form = form_with(form_data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tax_code"] == ""


def test_phone_numbers_are_accepted_with_separators_and_stored_without(form_data):
    form_data.update(email="", phone="+84 912.345-678")
    form = form_with(form_data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+84912345678"


def test_a_phone_number_that_is_not_one_is_refused(form_data):
    form_data.update(phone="12ab")
    form = form_with(form_data)
    assert form.is_valid() is False
    assert form.errors["phone"] == ["Số điện thoại chưa đúng, ví dụ 0912 345 678."]


def test_a_commune_of_another_province_is_refused(form_data):
    form_data["commune"] = str(factories.commune_of(factories.THAI_NGUYEN).code)
    form = form_with(form_data)
    assert form.is_valid() is False
    assert form.errors["commune"] == [
        "Xã, phường này không thuộc tỉnh, thành phố đã chọn."
    ]


def test_a_commune_of_the_chosen_province_is_accepted(form_data):
    commune = factories.commune_of(factories.LANG_SON)
    form_data["commune"] = str(commune.code)
    form = form_with(form_data)
    assert form.is_valid(), form.errors
    assert form.petition_fields()["commune"] == commune.code


def test_the_commune_choices_follow_the_chosen_province(form_data):
    form = PetitionForm(initial={"province": str(factories.LANG_SON)})
    provinces = set(form.fields["commune"].queryset.values_list("province__code"))
    assert provinces == {(factories.LANG_SON,)}
    assert PetitionForm().fields["commune"].queryset.exists() is False


def test_a_filled_honeypot_is_refused(form_data):
    form_data["website"] = "http://spam.example"
    form = form_with(form_data)
    assert form.is_valid() is False
    assert "website" in form.errors


def test_an_unbound_form_carries_a_fresh_one_time_token():
    first, second = PetitionForm(), PetitionForm()
    assert len(first.initial["form_token"]) == 32
    assert first.initial["form_token"] != second.initial["form_token"]


def test_a_png_named_pdf_is_accepted_as_a_png(form_data):
    form = form_with(form_data, {"attachments": [upload("scan.pdf", PNG_BYTES)]})
    assert form.is_valid(), form.errors
    (attachment,) = form.cleaned_data["attachments"]
    assert attachment.kind is PNG


def test_a_program_renamed_pdf_is_refused(form_data):
    form = form_with(form_data, {"attachments": [upload("invoice.pdf", EXE_BYTES)]})
    assert form.is_valid() is False
    assert "invoice.pdf" in form.errors["attachments"][0]
    assert "không phải PDF, JPEG hoặc PNG" in form.errors["attachments"][0]


def test_more_than_five_files_are_refused(form_data):
    files = [upload(f"{n}.pdf", PDF_BYTES) for n in range(6)]
    form = form_with(form_data, {"attachments": files})
    assert form.is_valid() is False
    assert form.errors["attachments"] == ["Chỉ được đính kèm tối đa 5 tệp."]


def test_a_file_over_the_size_limit_is_refused(form_data, settings):
    settings.FEEDBACK_ATTACHMENT_MAX_BYTES = 50
    form = form_with(form_data, {"attachments": [upload("big.pdf", PDF_BYTES)]})
    assert form.is_valid() is False
    assert "big.pdf" in form.errors["attachments"][0]


def test_files_over_the_total_limit_are_refused(form_data, settings):
    settings.FEEDBACK_ATTACHMENTS_TOTAL_MAX_BYTES = 100
    files = [upload("a.pdf", PDF_BYTES), upload("b.pdf", PDF_BYTES)]
    form = form_with(form_data, {"attachments": files})
    assert form.is_valid() is False
    assert "Tổng dung lượng" in form.errors["attachments"][0]


def test_errors_are_in_english_for_an_english_speaking_user(form_data):
    form_data.update(email="", submitter_kind="business", tax_code="")
    with translation.override("en"):
        form = form_with(form_data)
        assert form.is_valid() is False
        assert form.errors["tax_code"] == ["A business must give its tax code."]
        assert form.errors["email"] == [
            "Give an email address or a phone number so that we can tell you "
            "the outcome."
        ]
