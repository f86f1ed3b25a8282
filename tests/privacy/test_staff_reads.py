"""Who looked: one row per staff read of personal data, shown to the auditors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import Attachment
from tests.feedback.samples import PDF_BYTES, upload
from workflow.privacy.models import PersonalDataRead


@pytest.fixture
def with_file(client, form_data, routed_to_a):
    form_data["attachments"] = [upload("don.pdf", PDF_BYTES)]
    assert client.post("/", form_data).status_code == 200
    return Attachment.objects.get().petition


def test_opening_a_case_writes_one_read_and_costs_one_insert(
    client, with_file, handler_a, staff_client
):
    staff_client(handler_a)
    url = f"/work/petitions/{with_file.tracking_code}/"
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    reads = [q["sql"] for q in queries if "privacy_personaldataread" in q["sql"]]
    assert len(reads) == 1 and reads[0].startswith("INSERT")
    [read] = PersonalDataRead.objects.all()
    assert (read.user, read.petition, read.what) == (handler_a.user, with_file, "case")


def test_an_attachment_download_is_a_read_of_that_file(
    client, with_file, handler_a, staff_client
):
    staff_client(handler_a)
    item = Attachment.objects.get()
    response = client.get(
        f"/work/petitions/{with_file.tracking_code}/attachments/{item.pk}/"
    )
    assert response.status_code == 200
    read = PersonalDataRead.objects.get(what="attachment")
    assert read.attachment_id == item.pk


def test_the_queue_shows_no_contact_and_logs_nothing(
    client, with_file, handler_a, staff_client
):
    staff_client(handler_a)
    assert client.get("/work/queue/").status_code == 200
    assert not PersonalDataRead.objects.exists()


def test_auditors_see_who_read_which_case_and_when(
    client, with_file, handler_a, auditor, staff_client
):
    staff_client(handler_a)
    client.get(f"/work/petitions/{with_file.tracking_code}/")
    staff_client(auditor)
    page = client.get("/audit/reads/").content.decode()
    assert with_file.tracking_code in page
    assert handler_a.user.username in page
    filtered = client.get("/audit/reads/", {"user": "nobody"}).content.decode()
    assert with_file.tracking_code not in filtered


def test_only_auditors_and_admins_see_the_reads(
    client, handler_a, supervisor_a, dpo, staff_client
):
    for actor in (handler_a, supervisor_a, dpo):
        staff_client(actor)
        assert client.get("/audit/reads/").status_code == 404
    client.logout()
    assert client.get("/audit/reads/").status_code in (302, 404)
