"""The triage desk's pages for e-mail drafts."""

from datetime import datetime

import pytest
from django.utils import timezone

from feedback.mailbox import services
from feedback.mailbox.models import InboundEmail
from tests import factories
from tests.support.mail import letter
from workflow.deadlines import VIETNAM
from workflow.models import Petition

ARRIVED = datetime(2026, 3, 9, 22, 15, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(db):
    found, _created = services.store_message(
        raw=letter(subject="Phản ánh cầu treo"),
        received_at=ARRIVED,
        mailbox="test",
        uid=1,
        now=timezone.now(),
    )
    return found


def test_coordinators_see_waiting_drafts_on_the_triage_queue(
    staff_client, coordinator, handler_a, draft
):
    client = staff_client(coordinator)
    queue = client.get("/work/queue/?view=triage").content.decode()
    assert "1 thư điện tử chờ xác nhận" in queue
    assert "Phản ánh cầu treo" in client.get("/work/mailbox/").content.decode()
    assert staff_client(handler_a).get("/work/mailbox/").status_code == 404


def test_confirming_on_the_page_shows_the_receipt(
    staff_client, coordinator, draft, land
):
    client = staff_client(coordinator)
    page = client.get(f"/work/mailbox/{draft.pk}/").content.decode()
    assert 'value="pa.lo@example.vn"' in page  # the sender, ready to confirm
    response = client.post(
        f"/work/mailbox/{draft.pk}/confirm/",
        {
            "submitter_kind": "citizen",
            "submitter_name": "Lò Văn Pá",
            "email": "pa.lo@example.vn",
            "language": "vi",
            "category": land.code,
            "province": str(factories.LANG_SON),
            "title": "Phản ánh cầu treo",
            "content": "Cầu treo bị gãy ván.",
        },
    )
    assert response.status_code == 201
    petition = Petition.objects.get()
    assert petition.received_at == ARRIVED and petition.channel == "email"
    assert petition.tracking_code in response.content.decode()


def test_rejecting_needs_a_reason(staff_client, coordinator, draft):
    client = staff_client(coordinator)
    assert client.post(f"/work/mailbox/{draft.pk}/reject/", {}).status_code == 400
    response = client.post(f"/work/mailbox/{draft.pk}/reject/", {"reason": "Quảng cáo"})
    assert response.status_code == 302
    assert InboundEmail.objects.get().status == "rejected"
    raw = client.get(f"/work/mailbox/{draft.pk}/message.eml")
    assert b"Subject:" in b"".join(raw.streaming_content)
