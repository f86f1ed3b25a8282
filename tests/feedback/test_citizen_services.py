import io
from datetime import UTC, datetime

import pytest
import time_machine

from feedback import services
from feedback.files import PDF, PNG
from feedback.models import Attachment, Rating
from notifications.models import Notification
from tests import factories
from tests.feedback.samples import PDF_BYTES, PNG_BYTES, upload
from workflow.errors import DuplicateSubmission, NotAllowedNow
from workflow.models import HistoryEntry, Petition, State

MONDAY_MORNING = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def file(**overrides):
    fields = dict(
        client_ip="203.0.113.7",
        submitter_kind="citizen",
        submitter_name="Nguyễn Văn An",
        email="an@example.vn",
        title="Đường xuống cấp",
        content="Đề nghị sửa đường.",
        category="land",
        province=factories.LANG_SON,
    )
    fields.update(overrides)
    return services.file_petition(**fields)


def test_a_web_petition_is_filed_with_its_attachments_under_its_tracking_code(
    land, media_root
):
    submission = file(
        attachments=(
            services.Upload(file=upload("đơn.pdf", PDF_BYTES), kind=PDF),
            services.Upload(file=upload("ảnh.pdf", PNG_BYTES), kind=PNG),
        )
    )
    petition = Petition.objects.get(pk=submission.petition.pk)
    assert petition.channel == "web"
    assert petition.has_secret(submission.secret) is True
    pdf, png = Attachment.objects.filter(petition=petition).order_by("pk")
    assert (pdf.original_name, pdf.content_type, pdf.size) == (
        "đơn.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    # The stored name follows the detected kind, not the name the sender gave.
    assert png.original_name == "ảnh.pdf"
    assert png.content_type == "image/png"
    assert png.file.name.startswith(f"attachments/{petition.tracking_code}/")
    assert png.file.name.endswith(".png")
    assert (media_root / png.file.name).read_bytes() == PNG_BYTES


def test_a_failing_attachment_leaves_no_petition_no_file_and_no_message(
    land, media_root
):
    good = services.Upload(file=upload("a.pdf", PDF_BYTES), kind=PDF)
    broken = upload("b.pdf", PDF_BYTES)
    broken.file = io.BytesIO(PDF_BYTES)
    broken.file.close()  # the upload's temporary file is gone: reading it fails
    with pytest.raises(ValueError):
        file(attachments=(good, services.Upload(file=broken, kind=PDF)))
    assert Petition.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Notification.objects.count() == 0
    assert list(media_root.rglob("*.pdf")) == []


def test_the_sixth_submission_from_one_ip_within_ten_minutes_is_refused(land):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        for n in range(5):
            file(email=f"person{n}@example.vn")
        with pytest.raises(services.RateLimited) as refused:
            file(email="person5@example.vn")
    assert refused.value.scope == "ip"
    assert refused.value.retry_at == datetime(2026, 3, 2, 2, 10, tzinfo=UTC)
    assert Petition.objects.count() == 5


def test_the_fourth_submission_with_one_phone_within_an_hour_is_refused(land):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        for n, phone in enumerate(["0912345678", "+84912345678", "84 912 345 678"]):
            file(client_ip=f"198.51.100.{n}", email="", phone=phone)
        # The same phone however it is written.
        with pytest.raises(services.RateLimited) as refused:
            file(client_ip="198.51.100.9", email="", phone="0912.345.678")
    assert refused.value.scope == "contact"
    assert Petition.objects.count() == 3


def test_limits_come_from_settings(land, settings):
    settings.FEEDBACK_SUBMIT_LIMIT_PER_IP = 1
    file()
    with pytest.raises(services.RateLimited):
        file(email="other@example.vn")


def test_a_form_sent_twice_files_one_petition(land):
    first = file(form_token="a" * 32)
    with pytest.raises(DuplicateSubmission) as duplicate:
        file(form_token="a" * 32)
    assert duplicate.value.petition == first.petition
    assert Petition.objects.count() == 1


def test_the_right_code_and_secret_find_the_petition(file_with_secret):
    petition, secret = file_with_secret()
    found = services.verify_tracking(
        tracking_code=f" {petition.tracking_code.lower()} ",
        secret=secret.lower(),
        client_ip="203.0.113.7",
    )
    assert found == petition


def test_a_wrong_secret_and_an_unknown_code_fail_alike(file_with_secret):
    petition, secret = file_with_secret()
    with pytest.raises(services.WrongTrackingPair):
        services.verify_tracking(
            tracking_code=petition.tracking_code, secret="WRONG", client_ip="1.1.1.1"
        )
    with pytest.raises(services.WrongTrackingPair):
        services.verify_tracking(
            tracking_code="NOSUCHCODE", secret=secret, client_ip="1.1.1.1"
        )


def test_guessing_secrets_is_stopped_per_ip(file_with_secret, settings):
    settings.FEEDBACK_TRACK_LIMIT_PER_IP = 3
    petition, secret = file_with_secret()
    for _ in range(3):
        with pytest.raises(services.WrongTrackingPair):
            services.verify_tracking(
                tracking_code=petition.tracking_code, secret="X", client_ip="1.1.1.1"
            )
    # Even the right secret is refused now, so guessing gains nothing.
    with pytest.raises(services.RateLimited):
        services.verify_tracking(
            tracking_code=petition.tracking_code, secret=secret, client_ip="1.1.1.1"
        )


def test_information_with_a_file_resumes_handling(awaiting_info):
    petition, _ = awaiting_info()
    services.add_information(
        petition_id=petition.pk,
        text="Số nhà 12.",
        attachments=(services.Upload(file=upload("map.png", PNG_BYTES), kind=PNG),),
        expected_version=petition.version,
    )
    petition.refresh_from_db()
    assert petition.state == State.IN_PROGRESS
    attachment = Attachment.objects.get(petition=petition)
    assert attachment.stage == Attachment.Stage.INFORMATION


def test_a_rating_is_stored_once_and_written_to_the_history(answered):
    petition, _ = answered()
    rating = services.rate_petition(petition_id=petition.pk, score=4, comment="Ổn")
    assert (rating.score, rating.comment) == (4, "Ổn")
    with pytest.raises(NotAllowedNow, match="already rated"):
        services.rate_petition(petition_id=petition.pk, score=1)
    assert Rating.objects.filter(petition=petition).count() == 1
    rates = HistoryEntry.objects.filter(petition=petition, action="rate")
    # The refused second rating left no history entry either.
    assert [entry.data["score"] for entry in rates] == [4]


def test_an_open_petition_cannot_be_rated(file_with_secret):
    petition, _ = file_with_secret()
    with pytest.raises(NotAllowedNow):
        services.rate_petition(petition_id=petition.pk, score=5)
    assert Rating.objects.count() == 0
