"""Issue 14 item 12: each empty choice says which; the e-mail error gives an example."""

from django.utils import translation

from tests.support.rows import row_counts


def test_category_and_province_left_empty_each_get_their_own_message(client, form_data):
    form_data.update(category="", province="", email="an@")
    response = client.post("/", form_data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vui lòng chọn lĩnh vực của phản ánh." in html
    assert "Vui lòng chọn tỉnh, thành phố nơi xảy ra sự việc." in html
    # The e-mail error shows what an address looks like.
    assert "Địa chỉ thư điện tử chưa đúng, ví dụ nguyenvanan@gmail.com." in html
    assert "Vui lòng chọn một mục." not in html


def test_the_same_messages_in_english(client, form_data):
    form_data.update(category="", province="", email="an@")
    # override() puts the thread's language back afterwards: the English
    # request must not leave later tests in English.
    with translation.override("vi"):
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        html = client.post("/", form_data).content.decode()
    assert "Please choose the category of the petition." in html
    assert "Please choose the province or city where it happened." in html
    assert "for example nguyenvanan@gmail.com" in html


def test_a_direction_override_is_named_and_the_rest_kept(client, form_data):
    form_data["title"] = "Đường liên xã \u202exuống cấp"
    before = row_counts()

    response = client.post("/", form_data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nội dung có ký tự không được phép (U+202E)" in html
    assert "Đường liên xã" in html  # what was typed comes back to be mended
    assert row_counts() == before


def test_a_choice_outside_the_list_is_refused_in_the_projects_words(client, form_data):
    form_data["submitter_kind"] = "alien"
    html = client.post("/", form_data).content.decode()
    assert "Vui lòng chọn một mục trong danh sách." in html
    # Django's stock sentence echoes the value typed back.
    assert "khả thi" not in html and "alien" not in html
    with translation.override("vi"):
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        english = client.post("/", form_data).content.decode()
    assert "Please choose an item from the list." in english


def test_a_closed_category_and_an_unknown_one_each_get_their_own_message(
    client, form_data, land
):
    form_data["category"] = "nope"
    unknown = client.post("/", form_data).content.decode()
    assert "Không có lĩnh vực này, vui lòng chọn lĩnh vực trong danh sách." in unknown
    assert "không còn tiếp nhận" not in unknown
    land.is_active = False
    land.save()
    form_data["category"] = land.code
    closed = client.post("/", form_data).content.decode()
    assert "Lĩnh vực này không còn tiếp nhận, vui lòng chọn lĩnh vực khác." in closed


def test_the_error_summary_names_a_sentence_label_without_a_second_stop(
    client, form_data
):
    del form_data["processing_consent"]
    vietnamese = client.post("/", form_data).content.decode()
    with translation.override("vi"):
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        english = client.post("/", form_data).content.decode()
    # The consent's label is a sentence: the summary puts its colon after it.
    assert "được xử lý như trên: Phản ánh chỉ được giải quyết" in vietnamese
    assert "as described above: " in english
    assert ".:" not in vietnamese + english
