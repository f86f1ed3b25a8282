"""Keys and clients for the machine interfaces (intake API, Open311)."""

import json

import pytest
from django.utils import timezone

from feedback.integrations.keys import issue_api_key
from tests import factories


@pytest.fixture
def portal_key(db):
    """A working key of the portal integration, as the client holds it."""
    _, key = issue_api_key(name="portal", now=timezone.now(), requests_per_minute=1000)
    return key


@pytest.fixture
def post_petition(client, portal_key, land):
    """POST /api/v1/petitions with a valid body, changed by `overrides`."""

    def post(key=None, raw=None, **overrides):
        body = {
            "external_id": "DVC-2026-000001",
            "submitter": {
                "kind": "citizen",
                "name": "Nguyễn Văn An",
                "email": "an@example.vn",
                "phone": "0912345678",
            },
            "title": "Đường liên xã xuống cấp",
            "content": "Đề nghị sửa chữa đoạn đường liên xã.",
            "category": land.code,
            "province": factories.LANG_SON,
        }
        body.update(overrides)
        return client.post(
            "/api/v1/petitions",
            data=raw if raw is not None else json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {key or portal_key}"},
        )

    return post
