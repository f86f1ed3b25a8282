"""Attachments are served as what they were sniffed to be, under a matching name."""

from urllib.parse import unquote

import pytest

from feedback.files import ascii_name, download_name
from feedback.models import Attachment
from tests.feedback.samples import PNG_BYTES, upload
from workflow.models import Petition

# A file that is a PDF to a PDF reader and a web page to a browser that sniffs.
POLYGLOT = (
    b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    b"1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
)


@pytest.fixture
def filed(client, form_data, verified, routed_to_a):
    def file(name, content, content_type="text/html"):
        form_data["attachments"] = [upload(name, content, content_type)]
        html = client.post("/", form_data).content.decode()
        petition = Petition.objects.get()
        verified(petition, html.split('id="secret">')[1].split("<")[0])
        return petition, Attachment.objects.get(petition=petition)

    return file


def filename_star(response) -> str:
    header = response["Content-Disposition"]
    return unquote(header.split("filename*=UTF-8''")[1])


def test_a_pdf_html_polyglot_named_html_is_served_as_the_pdf_it_was_taken_for(
    client, filed, handler_a, staff_client
):
    petition, attachment = filed("invoice.html", POLYGLOT)
    code = petition.tracking_code

    citizen = client.get(f"/track/{code}/attachments/{attachment.pk}/")
    staff = staff_client(handler_a).get(
        f"/work/petitions/{code}/attachments/{attachment.pk}/"
    )

    for response in (citizen, staff):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="invoice.pdf"' in response["Content-Disposition"]
        assert filename_star(response) == "invoice.pdf"
        assert b"".join(response.streaming_content) == POLYGLOT
    assert "no-store" in staff["Cache-Control"]


def test_a_vietnamese_file_name_survives_in_both_header_forms(client, filed):
    petition, attachment = filed(
        "Biên bản hiện trạng đường.png", PNG_BYTES, "image/png"
    )

    response = client.get(
        f"/track/{petition.tracking_code}/attachments/{attachment.pk}/"
    )

    assert response["Content-Type"] == "image/png"
    assert filename_star(response) == "Biên bản hiện trạng đường.png"
    assert 'filename="Bien ban hien trang duong.png"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    "name, content_type, served",
    [
        ("ảnh chụp.JPEG", "image/jpeg", "ảnh chụp.JPEG"),
        ("scan.png", "image/jpeg", "scan.jpg"),
        ("hồ sơ", "application/pdf", "hồ sơ.pdf"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("C:\\Users\\An\\đơn.pdf", "application/pdf", "đơn.pdf"),
        ('a"b\r\nc.pdf', "application/pdf", "abc.pdf"),
        ("...", "image/png", "tep-dinh-kem.png"),
    ],
)
def test_download_names_carry_the_sniffed_extension_and_nothing_unsafe(
    name, content_type, served
):
    assert download_name(name, content_type) == served


def test_an_emoji_leaves_no_gap_in_the_ascii_name_of_a_download(client, filed):
    petition, attachment = filed("ảnh hiện trường 😀.png", PNG_BYTES, "image/png")

    response = client.get(
        f"/track/{petition.tracking_code}/attachments/{attachment.pk}/"
    )

    assert filename_star(response) == "ảnh hiện trường 😀.png"
    assert 'filename="anh hien truong.png"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    "name, plain",
    [
        ("ảnh hiện trường 😀.png", "anh hien truong.png"),
        ("😀 ảnh  😀  hiện trường.png", "anh hien truong.png"),
        ("Đơn 文件 mới.pdf", "Don moi.pdf"),
        # Nothing of the name has an ASCII form: the stand-in keeps the type.
        ("文件.pdf", "attachment.pdf"),
        ("😀", "attachment"),
    ],
)
def test_letters_without_an_ascii_form_leave_no_gap_or_empty_name(name, plain):
    assert ascii_name(name) == plain


def test_the_ascii_name_drops_only_the_marks():
    assert ascii_name("Đơn đề nghị (bản 2).pdf") == "Don de nghi (ban 2).pdf"
