"""Issue 14 item 8: thumbnails, inline viewing for those allowed, sizes in KB/MB."""

import io

from django.utils import translation
from PIL import Image

from feedback.models import Attachment
from feedback.templatetags.citizen import human_size
from tests.feedback.samples import PDF_BYTES, upload
from workflow.models import Petition


def photo_bytes(size=(1600, 1200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, "JPEG", quality=90)
    return out.getvalue()


def file_with_files(client, form_data, verified):
    form_data["attachments"] = [
        upload("anh-hien-truong.jpg", photo_bytes(), "image/jpeg"),
        upload("don.pdf", PDF_BYTES),
    ]
    html = client.post("/", form_data).content.decode()
    petition = Petition.objects.get()
    verified(petition, html.split('id="secret">')[1].split("<")[0])
    photo, pdf = Attachment.objects.filter(petition=petition).order_by("pk")
    return petition, photo, pdf


def test_a_picture_gets_a_small_thumbnail_made_on_the_server(
    client, form_data, verified
):
    petition, photo, pdf = file_with_files(client, form_data, verified)
    base = f"/track/{petition.tracking_code}/attachments"
    response = client.get(f"{base}/{photo.pk}/thumbnail/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    thumb = Image.open(io.BytesIO(response.content))
    # Within 320 px, the photo's proportions kept.
    assert thumb.size == (320, 240)
    assert len(response.content) < photo.size
    # A PDF has no thumbnail.
    assert client.get(f"{base}/{pdf.pk}/thumbnail/").status_code == 404


def test_inline_viewing_uses_the_sniffed_type_nosniff_and_a_sandbox_for_pdfs(
    client, form_data, verified
):
    petition, photo, pdf = file_with_files(client, form_data, verified)
    base = f"/track/{petition.tracking_code}/attachments"
    shown = client.get(f"{base}/{pdf.pk}/view/")
    assert shown.status_code == 200
    assert shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Content-Security-Policy"].startswith("sandbox")
    picture = client.get(f"{base}/{photo.pk}/view/")
    assert picture["Content-Type"] == "image/jpeg"
    assert "sandbox" not in picture["Content-Security-Policy"]
    # Saving is still there, as before.
    saved = client.get(f"{base}/{pdf.pk}/download/")
    assert saved["Content-Disposition"].startswith("attachment")
    assert client.get(f"{base}/{pdf.pk}/other/").status_code == 404


def test_a_stored_file_whose_bytes_are_not_allowed_is_not_shown_inline(
    client, form_data, verified
):
    petition, photo, _ = file_with_files(client, form_data, verified)
    # The disk's content changed behind the row's back: the bytes decide.
    with photo.file.open("wb") as handle:
        handle.write(b"<html><script>alert(1)</script></html>")
    base = f"/track/{petition.tracking_code}/attachments/{photo.pk}"
    assert client.get(f"{base}/view/").status_code == 404
    assert client.get(f"{base}/thumbnail/").status_code == 404


def test_others_see_nothing_and_staff_of_the_agency_see_it_inline(
    client, form_data, verified, routed_to_a, handler_a, handler_b, staff_client
):
    petition, photo, pdf = file_with_files(client, form_data, verified)
    client.logout()
    base = f"/track/{petition.tracking_code}/attachments/{photo.pk}"
    assert client.get(f"{base}/view/").status_code == 404
    assert client.get(f"{base}/thumbnail/").status_code == 404

    staff_url = f"/work/petitions/{petition.tracking_code}/attachments/{photo.pk}"
    staff_client(handler_b)
    assert client.get(f"{staff_url}/view/").status_code == 404
    staff_client(handler_a)
    assert client.get(f"{staff_url}/view/")["Content-Type"] == "image/jpeg"
    assert client.get(f"{staff_url}/thumbnail/").status_code == 200
    page = client.get(f"/work/petitions/{petition.tracking_code}/").content.decode()
    assert human_size(photo.size) in page
    assert f"{photo.size} B" not in page


def test_sizes_read_in_bytes_kilobytes_and_megabytes():
    assert human_size(812) == "812 B"
    assert human_size(17133) == "17 KB"
    with translation.override("vi"):
        assert human_size(int(2.4 * 1024 * 1024)) == "2,4 MB"
    with translation.override("en"):
        assert human_size(int(2.4 * 1024 * 1024)) == "2.4 MB"
