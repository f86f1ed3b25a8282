from feedback.files import JPEG, PDF, PNG, sniff, sniff_upload
from tests.feedback.samples import EXE_BYTES, JPEG_BYTES, PDF_BYTES, PNG_BYTES, upload


def test_pdf_jpeg_and_png_are_recognised_by_their_first_bytes():
    assert sniff(PDF_BYTES) is PDF
    assert sniff(JPEG_BYTES) is JPEG
    assert sniff(PNG_BYTES) is PNG


def test_other_content_is_not_recognised_whatever_its_name():
    assert sniff(EXE_BYTES) is None
    assert sniff(b"") is None
    assert sniff(b"<html>%PDF-") is None


def test_sniffing_an_upload_leaves_it_readable_from_the_start():
    file = upload("scan.pdf", PNG_BYTES)
    # The name says PDF and the browser said PDF; the content is a PNG.
    assert sniff_upload(file) is PNG
    assert file.read() == PNG_BYTES
