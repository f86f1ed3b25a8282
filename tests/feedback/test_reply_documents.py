"""The agency's official reply document: attached by staff, downloaded by the
submitter once the answer is out, named in the history by its SHA-256."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.files import PDF, PNG
from feedback.models import Attachment
from feedback.replies import attach_reply_document
from feedback.services import Upload
from tests.feedback.samples import PDF_BYTES, PNG_BYTES
from workflow import services
from workflow.audit import verify_history
from workflow.errors import InvalidInput, NotAllowedNow, NotPermitted
from workflow.models import HistoryEntry, Petition

SIGNED = PDF_BYTES + b"% so 15/STNMT-TTr, da ky\n"


def pdf_upload(content=SIGNED, name="15-STNMT-TTr.pdf"):
    return Upload(file=SimpleUploadedFile(name, content), kind=PDF)


@pytest.fixture
def in_progress(file_with_secret, routed_to_a, handler_a):
    petition, secret = file_with_secret()
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    return Petition.objects.get(pk=petition.pk), secret


def test_attached_while_answering_named_in_history_by_its_sha256(
    in_progress, handler_a
):
    petition, _secret = in_progress
    document = attach_reply_document(
        petition_id=petition.pk, actor=handler_a, upload=pdf_upload()
    )
    digest = hashlib.sha256(SIGNED).hexdigest()
    assert (document.stage, document.sha256) == ("reply", digest)
    entry = HistoryEntry.objects.filter(petition=petition).latest("seq")
    assert entry.action == "attach_reply"
    assert entry.data == {
        "attachment": document.pk,
        "bytes": len(SIGNED),
        "sha256": digest,
    }
    # The file's name may name the submitter: it stays out of the history.
    assert "STNMT" not in str(entry.data)
    assert list(verify_history([petition.pk])) == []


def test_only_a_pdf_by_the_agency_in_a_state_that_allows_it(
    in_progress, handler_b, citizen, submit, handler_a
):
    petition, _secret = in_progress
    picture = Upload(file=SimpleUploadedFile("a.png", PNG_BYTES), kind=PNG)
    with pytest.raises(InvalidInput, match="must be a PDF"):
        attach_reply_document(petition_id=petition.pk, actor=handler_a, upload=picture)
    with pytest.raises(InvalidInput, match="No petition with id"):
        attach_reply_document(
            petition_id=petition.pk, actor=handler_b, upload=pdf_upload()
        )
    assigned = submit()
    with pytest.raises(NotAllowedNow):
        attach_reply_document(
            petition_id=assigned.pk, actor=handler_a, upload=pdf_upload()
        )
    with pytest.raises(NotPermitted):
        attach_reply_document(
            petition_id=petition.pk, actor=citizen, upload=pdf_upload()
        )
    assert not Attachment.objects.filter(stage="reply").exists()


def test_the_submitter_downloads_it_once_the_answer_is_out(
    client, in_progress, handler_a, verified
):
    petition, secret = in_progress
    document = attach_reply_document(
        petition_id=petition.pk, actor=handler_a, upload=pdf_upload()
    )
    verified(petition, secret)
    url = f"/track/{petition.tracking_code}/attachments/{document.pk}/"
    # Before the answer goes out the document is the agency's draft.
    assert client.get(url).status_code == 404
    assert (
        document.sha256
        not in client.get(f"/track/{petition.tracking_code}/").content.decode()
    )

    services.answer_petition(petition_id=petition.pk, actor=handler_a, text="Đã xử lý.")

    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert "Văn bản trả lời chính thức của cơ quan" in page
    assert document.sha256 in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SIGNED
    assert response["Content-Type"] == "application/pdf"


def test_staff_attach_it_from_the_case_page(staff_client, in_progress, handler_a):
    petition, _secret = in_progress
    client = staff_client(handler_a)
    case = client.get(f"/work/petitions/{petition.tracking_code}/").content.decode()
    assert "Đính kèm văn bản trả lời" in case
    url = f"/work/petitions/{petition.tracking_code}/reply-document/"
    fake = SimpleUploadedFile("tra-loi.pdf", b"<html>not a pdf</html>")
    client.post(url, {"version": petition.version, "document": fake})
    assert not Attachment.objects.filter(stage="reply").exists()

    response = client.post(
        url,
        {
            "version": petition.version,
            "document": SimpleUploadedFile("tra-loi.pdf", SIGNED),
        },
        follow=True,
    )
    html = response.content.decode()
    digest = hashlib.sha256(SIGNED).hexdigest()
    assert f"SHA-256 {digest}" in html  # the confirmation
    assert f"<code>{digest}</code>" in html  # the list on the case page
