"""The submitter's proof file, checked by the stand-alone docs/verify_proof.py."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workflow import services
from workflow.access import Actor
from workflow.proof.checkpoints import take_checkpoint
from workflow.proof.keys import public_key_hex

VERIFIER = Path(__file__).resolve().parents[2] / "docs" / "verify_proof.py"
NOW = datetime(2026, 12, 2, 17, 15, tzinfo=UTC)


@pytest.fixture
def handled(file_with_secret, routed_to_a, handler_a, agency_b, checkpoint_key):
    """A petition claimed, asked about, answered by the submitter, then moved:
    internal steps (claim, transfer with a staff reason) beside shown ones.
    Two other petitions give the checkpoint's tree a path to walk."""
    file_with_secret(), file_with_secret()
    petition, secret = file_with_secret()
    services.claim_petition(petition_id=petition.pk, actor=handler_a)
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.request_information(
        petition_id=petition.pk, actor=handler_a, question="Đoạn đường ở xã nào?"
    )
    services.provide_information(
        petition_id=petition.pk, actor=Actor.submitter(), text="Xã Hữu Lũng."
    )
    services.transfer_petition(
        petition_id=petition.pk,
        actor=handler_a,
        agency_id=agency_b.pk,
        reason="Ghi chú nội bộ: không thuộc thẩm quyền của Sở",
    )
    return petition, secret


def download(client, verified, petition, secret):
    verified(petition, secret)
    response = client.get(f"/track/{petition.tracking_code}/proof.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="pakn-proof-{petition.tracking_code}.json"'
    )
    return response.json()


def run_verifier(tmp_path, proof, *args):
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(proof, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(VERIFIER), str(path), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout


def test_proof_file_verifies_with_the_stand_alone_script(
    client, verified, handled, tmp_path, checkpoint_key
):
    petition, secret = handled
    take_checkpoint(now=NOW)
    proof = download(client, verified, petition, secret)
    status, out = run_verifier(
        tmp_path, proof, "--public-key", public_key_hex(checkpoint_key)
    )
    assert status == 0, out
    assert "VALID / HỢP LỆ" in out
    assert f"entries 1–{len(proof['entries'])} are in checkpoint #1" in out
    # The submitter's own words and the question to them are shown.
    assert "Xã Hữu Lũng." in out
    assert "Đoạn đường ở xã nào?" in out


def test_proof_file_shows_what_the_tracking_page_shows_and_no_staff_names(
    client, verified, handled
):
    petition, secret = handled
    take_checkpoint(now=NOW)
    text = json.dumps(download(client, verified, petition, secret), ensure_ascii=False)
    # Staff names (actor labels) and the staff's internal reason stay out.
    assert "Handler_A" not in text
    assert "handler_a" not in text
    assert "Ghi chú nội bộ" not in text
    proof = json.loads(text)
    by_action = {}
    for entry in proof["entries"]:
        step = entry["shown"].get("step")
        by_action[json.loads(step)[2]["action"] if step else None] = entry
    # The claim is an internal step: only its digests are in the file.
    assert set(by_action) >= {"submit", "accept", "request_info", "provide_info"}
    assert "claim" not in by_action and by_action[None]["shown"] == {}
    assert "actor" not in by_action["accept"]["shown"]
    assert set(by_action["transfer"]["shown"]) == {"step"}
    assert set(by_action["provide_info"]["shown"]) == {"reason", "step"}


def test_entries_after_the_checkpoint_are_chained_but_not_yet_sealed(
    client, verified, handled, handler_b, tmp_path
):
    petition, secret = handled
    take_checkpoint(now=NOW)
    services.accept_petition(petition_id=petition.pk, actor=handler_b)
    proof = download(client, verified, petition, secret)
    status, out = run_verifier(tmp_path, proof)
    assert status == 0, out
    count = proof["sealed"]["count"]
    assert f"Entries {count + 1}–{count + 1} came later" in out


@pytest.mark.parametrize(
    "tamper, reason",
    [
        ("reason", "its reason was altered"),
        ("date", "its step was altered"),
        ("digest", "entry #3: its hash does not match"),
        ("drop", "do not end in the sealed head"),
        ("path", "does not lead to the checkpoint's root"),
        ("statement", "signature does not verify"),
    ],
)
def test_a_tampered_proof_file_is_refused(
    client, verified, handled, tmp_path, tamper, reason
):
    petition, secret = handled
    take_checkpoint(now=NOW)
    proof = download(client, verified, petition, secret)
    entries = proof["entries"]
    provided = next(e for e in entries if "Hữu Lũng" in e["shown"].get("reason", ""))
    if tamper == "reason":
        provided["shown"]["reason"] = provided["shown"]["reason"].replace(
            "Hữu Lũng", "Chi Lăng"
        )
    elif tamper == "date":
        step = entries[0]["shown"]["step"]
        entries[0]["shown"]["step"] = step.replace("2026", "2025", 1)
    elif tamper == "digest":
        # A withheld part swapped: the entry's recomputed hash changes.
        entries[1]["digests"]["actor"] = "0" * 64
        entries[1].pop("hash")
    elif tamper == "drop":
        entries.pop()
    elif tamper == "path":
        side, sibling = proof["sealed"]["path"][0]
        proof["sealed"]["path"][0] = [side, "f" * 64]
    elif tamper == "statement":
        checkpoint = proof["sealed"]["checkpoint"]
        checkpoint["statement"] = checkpoint["statement"].replace(
            '"number":1', '"number":7'
        )
    status, out = run_verifier(tmp_path, proof)
    assert status == 1
    assert "INVALID" in out
    assert reason in out


def test_a_proof_signed_by_another_key_than_the_published_one_is_refused(
    client, verified, handled, tmp_path
):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    petition, secret = handled
    take_checkpoint(now=NOW)
    proof = download(client, verified, petition, secret)
    published = public_key_hex(Ed25519PrivateKey.generate())
    status, out = run_verifier(tmp_path, proof, "--public-key", published)
    assert status == 1
    assert "not by the key you gave" in out


def test_before_any_checkpoint_the_file_says_it_is_not_sealed(
    client, verified, handled, tmp_path
):
    petition, secret = handled
    proof = download(client, verified, petition, secret)
    assert proof["sealed"] is None
    status, out = run_verifier(tmp_path, proof)
    assert status == 1
    assert "NOT SEALED YET" in out


def test_proof_file_needs_the_tracking_session(client, handled):
    petition, _secret = handled
    response = client.get(f"/track/{petition.tracking_code}/proof.json")
    assert response.status_code == 404


def test_case_page_offers_the_proof_file(client, verified, handled):
    petition, secret = handled
    verified(petition, secret)
    html = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert f"/track/{petition.tracking_code}/proof.json" in html
    assert "/audit/verify/" in html


def test_the_site_serves_the_stand_alone_checker_it_names(client, db):
    # The checking page and the proof file name a program to run instead of
    # trusting the page: it is downloadable, byte for byte the repository's.
    page = client.get("/audit/verify/").content.decode()
    assert 'href="/audit/verify/verify_proof.py"' in page

    response = client.get("/audit/verify/verify_proof.py")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-python; charset=utf-8"
    assert 'filename="verify_proof.py"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == VERIFIER.read_bytes()
