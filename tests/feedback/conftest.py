"""Helpers for the citizen pages: files, a filed petition with its secret, a session."""

import pytest

from tests import factories
from workflow import services
from workflow.privacy.consent import current_notices


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Attachments go to a fresh folder per test, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def form_data(land):
    """A complete, valid submission as the browser would post it (with consent to
    processing under the notice in force)."""
    notices = current_notices()
    return {
        "submitter_kind": "citizen",
        "submitter_name": "Nguyễn Văn An",
        "email": "an@example.vn",
        "phone": "",
        "tax_code": "",
        "category": land.code,
        "province": str(factories.LANG_SON),
        "commune": "",
        "title": "Đường liên xã xuống cấp",
        "content": "Đề nghị sửa chữa đoạn đường liên xã ở Hà Giang.",
        "website": "",
        "form_token": "",
        "processing_consent": "on",
        "processing_notice": str(notices["processing"].pk),
        "publication_notice": str(notices["publication"].pk),
    }


@pytest.fixture
def file_with_secret(submission):
    """File a petition through the real intake service; returns (petition, secret)."""

    def file(**overrides):
        fields = dict(
            submitter_name="Trần Thị Bình",
            email="binh@example.vn",
            title="Thủ tục cấp phép rườm rà",
            content="Đề nghị rút gọn hồ sơ.",
        )
        fields.update(overrides)
        made = submission(**fields)
        return made.petition, made.secret

    return file


@pytest.fixture
def verified(client):
    """Put a tracking code into the test client's session, as the lookup form does."""

    def verify(petition, secret):
        response = client.post(
            "/track/", {"tracking_code": petition.tracking_code, "secret": secret}
        )
        assert response.status_code == 302
        return petition

    return verify


@pytest.fixture
def answered(file_with_secret, routed_to_a, handler_a):
    """A petition answered by agency A's handler; returns (petition, secret)."""

    def make(**overrides):
        petition, secret = file_with_secret(**overrides)
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
        services.answer_petition(
            petition_id=petition.pk,
            actor=handler_a,
            text="Sở đã chỉ đạo sửa đường trong quý này.",
        )
        petition.refresh_from_db()
        return petition, secret

    return make


@pytest.fixture
def awaiting_info(file_with_secret, routed_to_a, handler_a):
    def make(question="Xin cho biết số nhà cụ thể?"):
        petition, secret = file_with_secret()
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
        services.request_information(
            petition_id=petition.pk, actor=handler_a, question=question
        )
        petition.refresh_from_db()
        return petition, secret

    return make


@pytest.fixture
def consented(answered, publish):
    """An answered petition whose submitter consented, published by a supervisor."""

    def make(**fields):
        petition, _ = answered(publish_consent=True, **fields)
        return publish(petition)

    return make
