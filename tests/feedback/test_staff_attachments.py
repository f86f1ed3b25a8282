"""Staff download the submitter's files from the case page (feedback.downloads)."""

import pytest

from tests import factories


def url(petition):
    return f"/work/petitions/{petition.tracking_code}/"


@pytest.fixture
def assigned(submit, routed_to_a):
    return submit()


@pytest.fixture
def with_attachment(routed_to_a, land, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from feedback import files
    from feedback import services as feedback_services

    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("ban-ve.pdf", b"%PDF-1.4\n%%EOF\n")
    submission = feedback_services.file_petition(
        client_ip="127.0.0.1",
        submitter_kind="citizen",
        submitter_name="Nguyễn Văn An",
        email="an@example.vn",
        title="Có tệp",
        content="Xem bản vẽ đính kèm.",
        category=land.code,
        province=factories.LANG_SON,
        attachments=(feedback_services.Upload(file=pdf, kind=files.sniff_upload(pdf)),),
    )
    return submission.petition


def test_staff_download_the_attachment_of_a_case_they_may_see(
    with_attachment, handler_a, handler_b, staff_client
):
    [attachment] = with_attachment.attachments.all()
    link = url(with_attachment) + f"attachments/{attachment.pk}/"
    page = staff_client(handler_a).get(url(with_attachment)).content.decode()
    assert link in page
    response = staff_client(handler_a).get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="ban-ve.pdf"' in response["Content-Disposition"]
    # Another agency's handler learns nothing, not even that the file exists.
    assert staff_client(handler_b).get(link).status_code == 404


def test_an_attachment_of_another_case_is_not_served_through_this_one(
    with_attachment, assigned, handler_a, staff_client
):
    [attachment] = with_attachment.attachments.all()
    link = url(assigned) + f"attachments/{attachment.pk}/"
    assert staff_client(handler_a).get(link).status_code == 404
