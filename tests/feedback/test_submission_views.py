import re
import unicodedata

import pytest

from feedback.forms import RecoveryCodeForm
from feedback.models import Attachment
from tests import factories
from tests.feedback.samples import EXE_BYTES, PDF_BYTES, upload
from workflow.models import Petition


def test_the_home_page_is_the_submission_form_in_vietnamese(client, land):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gửi phản ánh, kiến nghị" in html
    assert 'name="form_token"' in html
    assert "Category land" in html  # the active categories are the choices
    assert 'enctype="multipart/form-data"' in html


def test_switching_to_english_shows_english_labels(client, land):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Send feedback or a petition on administrative regulations" in html
    assert "Tax code" in html
    assert "Mã số thuế" not in html


def test_a_valid_submission_shows_the_tracking_code_and_the_secret_once(
    client, form_data
):
    form_data["attachments"] = [upload("đơn.pdf", PDF_BYTES)]
    response = client.post("/", form_data)
    assert response.status_code == 200
    petition = Petition.objects.get()
    html = response.content.decode()
    assert petition.tracking_code in html
    secret = re.search(r'id="secret">(\w+)<', html).group(1)
    assert petition.has_secret(secret) is True
    assert petition.channel == "web"
    assert petition.language == "vi"
    assert Attachment.objects.get(petition=petition).original_name == "đơn.pdf"
    # The page with the secret must not stay in any cache.
    assert "no-store" in response["Cache-Control"]


def test_a_name_and_place_typed_in_decomposed_letters_are_stored_composed(
    client, form_data
):
    form_data["submitter_name"] = unicodedata.normalize("NFD", "Nguyễn Văn An")
    form_data["place"] = unicodedata.normalize("NFD", "Thôn Nà Pàn")

    client.post("/", form_data)

    petition = Petition.objects.get()
    assert (petition.submitter_name, petition.place) == ("Nguyễn Văn An", "Thôn Nà Pàn")


def test_an_english_page_files_the_petition_in_english(client, form_data):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/", form_data)
    assert Petition.objects.get().language == "en"


def test_errors_come_back_with_everything_typed_and_say_to_choose_files_again(
    client, form_data
):
    form_data.update(submitter_kind="business", tax_code="12345", email="", phone="")
    form_data["attachments"] = [upload("đơn.pdf", PDF_BYTES)]
    response = client.post("/", form_data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Mã số thuế gồm 10 chữ số" in html
    assert "thư điện tử hoặc số điện thoại" in html
    # Nothing typed is lost...
    assert 'value="Đường liên xã xuống cấp"' in html
    assert "Đề nghị sửa chữa đoạn đường liên xã ở Hà Giang." in html
    assert 'value="12345"' in html
    # ...except the files, which a browser cannot be given back.
    assert "chọn lại tệp" in html
    assert 'aria-invalid="true"' in html
    assert Petition.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("title", ["Đường hỏng", "Đèn hỏng"]),
        ("province", [str(factories.LANG_SON), str(factories.LANG_SON)]),
        ("submitter_name", ["An", "Bình"]),
    ],
)
def test_a_field_given_twice_is_refused_on_that_field_and_nothing_is_saved(
    client, form_data, field, values
):
    # A browser sends a field once; Django would keep the last value unseen.
    form_data[field] = values
    response = client.post("/", form_data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Mục này được gửi nhiều lần. Vui lòng nhập lại." in html
    assert 'aria-invalid="true"' in html
    assert Petition.objects.count() == 0


def test_a_title_longer_once_composed_is_told_its_limit_not_to_fill_it_in(
    client, form_data
):
    # 200 characters as typed, 400 composed (NFC), as the title is stored.
    form_data["title"] = "\u0344" * 200
    response = client.post("/", form_data)

    assert response.status_code == 400
    assert response.context["form"].errors["title"] == ["Tối đa 300 ký tự."]
    assert Petition.objects.count() == 0


def test_an_empty_file_is_refused_by_its_name(client, form_data):
    form_data["attachments"] = [upload("ảnh hiện trường.jpg", b"")]
    response = client.post("/", form_data)

    assert response.status_code == 400
    assert response.context["form"].errors["attachments"] == [
        "Tệp «ảnh hiện trường.jpg» không có nội dung."
    ]
    assert Petition.objects.count() == 0


def test_a_recovery_code_takes_ascii_digits_only(db):
    form = RecoveryCodeForm({"tracking_code": "ABCDEFGHJK", "code": "١٢٣٤٥٦"})

    assert not form.is_valid()
    assert RecoveryCodeForm({"tracking_code": "X", "code": " 042917 "}).is_valid()


def test_a_control_character_is_refused_on_its_field(client, form_data):
    form_data["submitter_name"] = "Nguyễn\x07 Văn An"
    response = client.post("/", form_data)

    assert response.status_code == 400
    assert response.context["form"].errors["submitter_name"] == [
        "Nội dung có ký tự không được phép (U+0007), vui lòng xoá."
    ]
    assert Petition.objects.count() == 0


def test_a_renamed_program_is_refused_and_nothing_is_saved(client, form_data):
    form_data["attachments"] = [upload("hoa-don.pdf", EXE_BYTES)]
    response = client.post("/", form_data)
    assert response.status_code == 400
    assert "hoa-don.pdf" in response.content.decode()
    assert Petition.objects.count() == 0


def test_a_refused_submission_says_why_and_when_to_retry(client, form_data, settings):
    settings.FEEDBACK_SUBMIT_LIMIT_PER_IP = 1
    assert client.post("/", form_data).status_code == 200
    form_data.update(email="other@example.vn", form_token="")
    response = client.post("/", form_data)
    assert response.status_code == 429
    html = response.content.decode()
    assert "quá nhiều phản ánh gửi từ địa chỉ mạng này" in html
    # The retry time is local (HH:MM dd/mm/yyyy), and the form is still filled in.
    assert re.search(r"thử lại sau \d\d:\d\d \d\d/\d\d/\d{4}", html)
    assert 'value="other@example.vn"' in html
    assert int(response["Retry-After"]) > 0
    assert Petition.objects.count() == 1


def test_a_filled_honeypot_saves_nothing(client, form_data):
    form_data["website"] = "http://spam.example"
    assert client.post("/", form_data).status_code == 400
    assert Petition.objects.count() == 0


def test_sending_the_same_form_again_does_not_file_it_twice(client, form_data):
    form_data["form_token"] = "b" * 32
    client.post("/", form_data)
    response = client.post("/", form_data)
    petition = Petition.objects.get()
    html = response.content.decode()
    assert petition.tracking_code in html
    assert "đã được gửi trước đó" in html
    assert "không được lưu" not in html
    # The first answer may never have reached a phone on a bad connection: the
    # page says where to get a new secret.
    assert 'href="/track/forgot/"' in html


def test_the_same_form_sent_again_with_an_edited_text_says_the_edit_is_not_saved(
    client, form_data
):
    form_data["form_token"] = "c" * 32
    client.post("/", form_data)
    form_data["content"] = form_data["content"] + " Thêm một chi tiết."
    response = client.post("/", form_data)
    petition = Petition.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert petition.tracking_code in html
    assert "Nội dung bạn sửa sau lần gửi đó không được lưu" in html
    assert "Thêm một chi tiết" not in petition.content


def test_the_commune_list_of_a_province_is_served_as_json(client, db):
    response = client.get("/communes/", {"province": factories.LANG_SON})
    assert response.status_code == 200
    communes = response.json()["communes"]
    lang_son = factories.commune_of(factories.LANG_SON)
    assert {"code": lang_son.code, "name": lang_son.name} in communes
    other = factories.commune_of(factories.THAI_NGUYEN)
    assert other.code not in {c["code"] for c in communes}
    assert client.get("/communes/", {"province": "x"}).status_code == 400


def test_without_javascript_the_commune_list_is_refreshed_by_the_server(
    client, form_data
):
    form_data["refresh_communes"] = "1"
    response = client.post("/", form_data)
    assert response.status_code == 200
    html = response.content.decode()
    lang_son = factories.commune_of(factories.LANG_SON)
    assert f'value="{lang_son.code}"' in html
    assert 'value="Đường liên xã xuống cấp"' in html
    assert Petition.objects.count() == 0
