"""The citizen downloads a proof file and checks it in the browser (Web Crypto)."""

import json
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests import factories
from workflow import services
from workflow.access import Actor
from workflow.models import Role
from workflow.proof.checkpoints import take_checkpoint
from workflow.proof.keys import public_key_hex

pytestmark = pytest.mark.browser


def test_proof_file_from_the_tracking_page_verifies_and_a_tampered_one_fails(
    page, checkpoint_key, tmp_path
):
    land = factories.category("land")
    agency = factories.agency("so-tnmt-lang-son")
    factories.rule(agency, category=land)
    handler = Actor.staff(factories.staff("handler_a", Role.HANDLER, agency))
    made = services.submit_petition(
        channel="web",
        submitter_kind="citizen",
        submitter_name="Nguyễn Văn An",
        email="an@example.vn",
        title="Đường liên xã xuống cấp",
        content="Đề nghị sửa chữa đoạn đường liên xã.",
        category=land.code,
        province=factories.LANG_SON,
    )
    petition = made.petition
    services.accept_petition(petition_id=petition.pk, actor=handler)
    services.request_information(
        petition_id=petition.pk, actor=handler, question="Đoạn đường ở xã nào?"
    )
    services.provide_information(
        petition_id=petition.pk, actor=Actor.submitter(), text="Xã Hữu Lũng."
    )
    take_checkpoint(now=datetime(2026, 12, 2, 17, 15, tzinfo=UTC))

    page.goto("/track/")
    page.fill("#id_tracking_code", petition.tracking_code)
    page.fill("#id_secret", made.secret)
    page.get_by_role("button", name="Xem phản ánh").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp bằng chứng").click()
    good = tmp_path / "good.json"
    download.value.save_as(good)
    page.shot("case-page-with-proof")

    page.get_by_role("link", name="Kiểm tra tệp bằng chứng").click()
    page.set_input_files("#proof-file", str(good))
    page.fill("#public-key", public_key_hex(checkpoint_key))
    page.get_by_role("button", name="Kiểm tra").click()
    verdict = page.locator("#proof-verdict")
    verdict.wait_for()
    page.shot("valid")
    assert verdict.get_attribute("data-state") == "valid"
    assert f"HỢP LỆ: {petition.tracking_code}" == verdict.inner_text()
    assert "điểm kiểm chứng số 1" in page.locator("#proof-checks").inner_text()
    assert "Xã Hữu Lũng." in page.locator("#proof-timeline").inner_text()

    # The same file with the submitter's reply changed no longer verifies.
    proof = json.loads(good.read_text(encoding="utf-8"))
    for entry in proof["entries"]:
        if "Hữu Lũng" in entry["shown"].get("reason", ""):
            entry["shown"]["reason"] = entry["shown"]["reason"].replace(
                "Hữu Lũng", "Chi Lăng"
            )
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(proof, ensure_ascii=False), encoding="utf-8")
    page.set_input_files("#proof-file", str(tampered))
    page.get_by_role("button", name="Kiểm tra").click()
    # Not wait_for_function: its polling evals a string, which the CSP refuses.
    expect(verdict).to_have_attribute("data-state", "invalid")
    page.shot("tampered")
    assert "its reason was altered" in verdict.inner_text()
    assert "KHÔNG HỢP LỆ" in verdict.inner_text()
