"""Sensitive attachments: only the handling agency's staff open them."""

import pytest

from feedback.models import Attachment
from tests import factories
from tests.feedback.samples import PDF_BYTES, PNG_BYTES, upload
from workflow.audit import verify_history
from workflow.models import HistoryEntry, Role


@pytest.fixture
def filed(client, form_data, routed_to_a):
    """A petition with an ID-card image marked sensitive and a plain document."""
    form_data["attachments"] = [
        upload("cccd.png", PNG_BYTES, "image/png"),
        upload("don.pdf", PDF_BYTES),
    ]
    form_data["sensitive_attachments"] = "on"
    assert client.post("/", form_data).status_code == 200
    petition = Attachment.objects.first().petition
    client.logout()
    return petition


def download(client, petition, attachment):
    return client.get(
        f"/work/petitions/{petition.tracking_code}/attachments/{attachment.pk}/"
    )


def test_the_citizen_marks_files_sensitive_at_upload(filed):
    assert set(Attachment.objects.values_list("is_sensitive", flat=True)) == {True}


def test_the_form_explains_what_marking_a_file_means(client, land):
    page = client.get("/").content.decode()
    assert 'name="sensitive_attachments"' in page
    assert "chỉ cán bộ của cơ quan đang giải quyết xem được" in page


def test_the_agencys_handler_opens_a_sensitive_file(
    client, filed, handler_a, staff_client
):
    staff_client(handler_a)
    page = client.get(f"/work/petitions/{filed.tracking_code}/").content.decode()
    assert "cccd.png" in page
    assert download(client, filed, Attachment.objects.first()).status_code == 200


def test_others_who_see_the_case_do_not_see_the_file(
    client, filed, coordinator, auditor, staff_client
):
    card = Attachment.objects.get(original_name="cccd.png")
    for actor in (coordinator, auditor):
        staff_client(actor)
        page = client.get(f"/work/petitions/{filed.tracking_code}/").content.decode()
        assert "cccd.png" not in page
        # The page says that files are withheld, not what they are.
        assert "tệp nhạy cảm" in page
        assert download(client, filed, card).status_code == 404


def test_a_supervisor_of_a_parent_agency_does_not_see_it_either(
    client, filed, agency_a, staff_client
):
    province = factories.agency("ubnd-lang-son")
    agency_a.parent = province
    agency_a.save()
    boss = factories.staff("province_head", Role.SUPERVISOR, province)
    staff_client(boss)
    card = Attachment.objects.get(original_name="cccd.png")
    assert client.get(f"/work/petitions/{filed.tracking_code}/").status_code == 200
    assert download(client, filed, card).status_code == 404


def test_staff_mark_a_file_sensitive_and_the_history_says_so(
    client, form_data, routed_to_a, handler_a, coordinator, staff_client
):
    form_data["attachments"] = [upload("giay-to.pdf", PDF_BYTES)]
    client.post("/", form_data)
    item = Attachment.objects.get()
    petition = item.petition
    staff_client(coordinator)
    assert download(client, petition, item).status_code == 200
    response = client.post(
        f"/work/petitions/{petition.tracking_code}/attachments/{item.pk}/sensitive/"
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_sensitive is True
    # Marking narrows who sees it: now the coordinator does not.
    assert download(client, petition, item).status_code == 404
    entry = HistoryEntry.objects.filter(petition=petition).last()
    assert (entry.action, entry.data) == ("mark_sensitive", {"attachment": item.pk})
    assert list(verify_history([petition.pk])) == []


def test_an_auditor_reads_the_file_but_cannot_mark_it(
    client, form_data, routed_to_a, auditor, staff_client
):
    form_data["attachments"] = [upload("giay-to.pdf", PDF_BYTES)]
    client.post("/", form_data)
    item = Attachment.objects.get()
    petition = item.petition
    staff_client(auditor)
    assert download(client, petition, item).status_code == 200
    page = client.get(f"/work/petitions/{petition.tracking_code}/").content.decode()
    assert "/sensitive/" not in page  # no button
    response = client.post(
        f"/work/petitions/{petition.tracking_code}/attachments/{item.pk}/sensitive/"
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.is_sensitive is False
    assert not HistoryEntry.objects.filter(action="mark_sensitive").exists()
