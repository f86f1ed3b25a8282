"""Signed checkpoints of every history head, and verify_audit --checkpoints."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core import mail
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_q.models import Schedule

from tests.support.tampering import behind_the_trigger, rewrite_history
from workflow import services
from workflow.models import Checkpoint, CheckpointChunk, Petition
from workflow.proof import keys, merkle
from workflow.proof.checkpoints import (
    CheckpointError,
    chunk_roots,
    proof_path,
    take_checkpoint,
)
from workflow.proof.keys import public_key_hex
from workflow.schedules import CHECKPOINT

NOW = datetime(2026, 12, 1, 17, 15, tzinfo=UTC)  # 00:15 on 2 Dec in Hà Nội


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


@pytest.fixture
def petitions(submit, routed_to_a, handler_a, checkpoint_key):
    first, second, third = submit(), submit(), submit()
    services.accept_petition(petition_id=second.pk, actor=handler_a)
    return [Petition.objects.get(pk=p.pk) for p in (first, second, third)]


def in_other_chunk(submit):
    """A petition whose id falls in a later chunk (the id sequence moved on)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('workflow_petition', 'id'), "
            "(SELECT max(id) FROM workflow_petition) + %s)",
            [3 * merkle.CHUNK_SPAN],
        )
    return submit()


# --- the tree ---------------------------------------------------------------------


def test_tree_of_three_leaves_is_rfc6962s():
    a, b, c = (sha(b"\x00" + x) for x in (b"a", b"b", b"c"))
    node = sha(b"\x01" + a + b)
    assert merkle.root([a, b, c]) == sha(b"\x01" + node + c)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 33])
def test_every_path_folds_to_the_root(size):
    hashes = [sha(bytes([i])) for i in range(size)]
    for index in range(size):
        steps = merkle.path(hashes, index)
        assert merkle.fold(hashes[index], steps) == merkle.root(hashes)
        # Another leaf on the same path does not reach the root.
        assert merkle.fold(sha(b"forged"), steps) != merkle.root(hashes)


# --- taking a checkpoint ------------------------------------------------------------


def test_checkpoint_seals_every_petitions_head_and_count(petitions, checkpoint_key):
    with time_machine.travel(NOW, tick=False):
        checkpoint = take_checkpoint(now=NOW)
    statement = json.loads(checkpoint.statement)
    assert (checkpoint.number, checkpoint.petitions) == (1, 3)
    assert checkpoint.entries == sum(p.history_length for p in petitions)
    assert statement["taken_at"] == "2026-12-01T17:15:00Z"
    assert statement["previous"] is None
    # The root is the tree over the leaves, each leaf the 44-byte record.
    leaves = [
        sha(
            b"\x00"
            + p.pk.to_bytes(8, "big")
            + p.history_length.to_bytes(4, "big")
            + bytes.fromhex(p.history_head)
        )
        for p in sorted(petitions, key=lambda p: p.pk)
    ]
    [chunk_root] = chunk_roots(checkpoint).values()
    assert chunk_root == merkle.root(leaves)
    assert statement["root"] == checkpoint.root == merkle.root([chunk_root]).hex()
    # The signature is over the statement's exact text, with the configured key.
    checkpoint_key.public_key().verify(
        bytes.fromhex(checkpoint.signature), checkpoint.statement.encode()
    )
    assert statement["public_key"] == public_key_hex(checkpoint_key)


def test_next_checkpoint_names_the_one_before(petitions):
    first = take_checkpoint(now=NOW)
    second = take_checkpoint(now=NOW)
    digest = hashlib.sha256(first.statement.encode()).hexdigest()
    assert json.loads(second.statement)["previous"] == digest
    assert second.number == 2


def test_only_changed_chunks_are_stored_again(petitions, submit, handler_a):
    far = in_other_chunk(submit)
    take_checkpoint(now=NOW)
    assert CheckpointChunk.objects.count() == 2
    # Nothing changed: the second checkpoint stores no leaves.
    second = take_checkpoint(now=NOW)
    assert second.chunks.count() == 0
    services.accept_petition(petition_id=far.pk, actor=handler_a)
    third = take_checkpoint(now=NOW)
    assert [c.chunk for c in third.chunks.all()] == [merkle.chunk_of(far.pk)]


def test_checkpoint_copy_is_emailed_to_the_recipients(
    petitions, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_RECIPIENTS = ["thanhtra@example.vn", "bao@example.vn"]
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint = take_checkpoint(now=NOW)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "bao@example.vn",
        "thanhtra@example.vn",
    ]
    body = mail.outbox[0].body
    # The copy carries what is needed to check it without the system.
    assert checkpoint.statement in body
    assert checkpoint.signature in body
    assert checkpoint.public_key in body


def test_checkpoint_command_reports_the_seal(petitions, capsys):
    call_command("checkpoint")
    out = capsys.readouterr().out
    assert "Checkpoint #1: 3 petitions" in out


def test_a_missing_key_file_stops_the_checkpoint_before_any_work(
    petitions, settings, tmp_path
):
    settings.AUDIT_CHECKPOINT_KEY_FILE = str(tmp_path / "absent.pem")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("checkpoint")
    assert Checkpoint.objects.count() == 0


def test_checkpoint_of_an_empty_database_is_refused(db, checkpoint_key):
    with pytest.raises(CheckpointError, match="nothing to seal"):
        take_checkpoint(now=NOW)


def test_key_from_the_environment_secret_signs(petitions, settings):
    from cryptography.hazmat.primitives import serialization

    key = Ed25519PrivateKey.generate()
    settings.AUDIT_CHECKPOINT_KEY_FILE = ""
    settings.AUDIT_CHECKPOINT_KEY = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    assert take_checkpoint(now=NOW).public_key == public_key_hex(key)


def test_production_without_a_configured_key_fails_the_deploy_check(settings):
    settings.AUDIT_CHECKPOINT_KEY = settings.AUDIT_CHECKPOINT_KEY_FILE = ""
    settings.DEBUG = False
    ids = [e.id for e in run_checks(include_deployment_checks=True)]
    assert "workflow.E002" in ids
    settings.DEBUG = True
    ids = [e.id for e in run_checks(include_deployment_checks=True)]
    assert "workflow.E002" not in ids


def test_a_key_that_is_not_ed25519_fails_the_system_check(settings, tmp_path):
    path = tmp_path / "key.pem"
    path.write_text("not a key")
    settings.AUDIT_CHECKPOINT_KEY_FILE = str(path)
    assert "workflow.E001" in [e.id for e in run_checks()]


def test_development_key_is_made_once_outside_the_checkout_history(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.AUDIT_CHECKPOINT_KEY = settings.AUDIT_CHECKPOINT_KEY_FILE = ""
    first = public_key_hex(keys.signing_key())
    assert public_key_hex(keys.signing_key()) == first
    assert (
        tmp_path / "var" / "keys" / "checkpoint-ed25519.pem"
    ).stat().st_mode & 0o77 == 0


def test_daily_schedule_runs_at_the_configured_local_time(db):
    schedule = Schedule.objects.get(name=CHECKPOINT)
    assert schedule.schedule_type == Schedule.DAILY
    local = schedule.next_run.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert (local.hour, local.minute) == (0, 15)


# --- a petition's path --------------------------------------------------------------


def test_proof_path_of_each_petition_leads_to_the_signed_root(petitions, submit):
    far = in_other_chunk(submit)
    checkpoint = take_checkpoint(now=NOW)
    for petition in [*petitions, Petition.objects.get(pk=far.pk)]:
        found = proof_path(petition.pk)
        assert (found.count, found.head) == (
            petition.history_length,
            petition.history_head,
        )
        leaf = merkle.leaf_hash(
            merkle.record(petition.pk, found.count, bytes.fromhex(found.head))
        )
        steps = [(side, bytes.fromhex(h)) for side, h in found.steps]
        assert merkle.fold(leaf, steps).hex() == checkpoint.root


def test_no_path_before_a_checkpoint_includes_the_petition(petitions, submit):
    assert proof_path(petitions[0].pk) is None
    take_checkpoint(now=NOW)
    later = submit()
    assert proof_path(later.pk) is None


# --- verify_audit --checkpoints -----------------------------------------------------


def test_verify_audit_with_checkpoints_passes_on_intact_history(
    petitions, handler_a, capsys
):
    take_checkpoint(now=NOW)
    # History that grew after the checkpoint still extends it.
    services.accept_petition(petition_id=petitions[0].pk, actor=handler_a)
    take_checkpoint(now=NOW)
    call_command("verify_audit", "--checkpoints")
    assert "extends all 2 checkpoint(s)" in capsys.readouterr().out


def test_rewritten_chain_passes_the_chain_check_but_not_the_checkpoints(
    petitions, capsys
):
    take_checkpoint(now=NOW)
    target = petitions[1]
    rewrite_history(target, 1, at=datetime(2026, 11, 1, tzinfo=UTC))
    # Every hash was recomputed: the chains alone look intact.
    call_command("verify_audit")
    with pytest.raises(CommandError, match="1 checkpoint problem"):
        call_command("verify_audit", "--checkpoints")
    err = capsys.readouterr().err
    assert f"checkpoint #1, petition {target.tracking_code} (id {target.pk})" in err
    assert "history rewritten since" in err


def test_rewrite_after_several_checkpoints_names_the_first_that_sealed_it(
    petitions, handler_a, capsys
):
    take_checkpoint(now=NOW)
    services.accept_petition(petition_id=petitions[0].pk, actor=handler_a)
    take_checkpoint(now=NOW)
    # Entry #3 was written after checkpoint #1: only #2 sealed it.
    rewrite_history(petitions[0], 3, at=datetime(2026, 11, 2, tzinfo=UTC))
    with pytest.raises(CommandError):
        call_command("verify_audit", "--checkpoints")
    err = capsys.readouterr().err
    assert f"checkpoint #2, petition {petitions[0].tracking_code}" in err


def test_removed_checkpoint_is_noticed(petitions, capsys):
    take_checkpoint(now=NOW)
    take_checkpoint(now=NOW)
    first = Checkpoint.objects.get(number=1)
    behind_the_trigger(
        "workflow_checkpointchunk",
        "workflow_checkpointchunk_append_only",
        "DELETE FROM workflow_checkpointchunk WHERE checkpoint_id = %s",
        [first.pk],
    )
    behind_the_trigger(
        "workflow_checkpoint",
        "workflow_checkpoint_append_only",
        "DELETE FROM workflow_checkpoint WHERE id = %s",
        [first.pk],
    )
    with pytest.raises(CommandError):
        call_command("verify_audit", "--checkpoints")
    err = capsys.readouterr().err
    assert "checkpoint #2: checkpoint #1 is missing before it" in err


def test_altered_checkpoint_leaves_are_noticed(petitions, capsys):
    checkpoint = take_checkpoint(now=NOW)
    [row] = checkpoint.chunks.all()
    forged = bytearray(row.leaves)
    forged[-1] ^= 1
    behind_the_trigger(
        "workflow_checkpointchunk",
        "workflow_checkpointchunk_append_only",
        "UPDATE workflow_checkpointchunk SET leaves = %s WHERE id = %s",
        [bytes(forged), row.pk],
    )
    with pytest.raises(CommandError):
        call_command("verify_audit", "--checkpoints")
    assert "do not give its signed root" in capsys.readouterr().err


def test_checkpoints_signed_by_another_key_are_refused(petitions, capsys):
    take_checkpoint(now=NOW)
    other = public_key_hex(Ed25519PrivateKey.generate())
    with pytest.raises(CommandError):
        call_command("verify_audit", "--checkpoints", "--public-key", other)
    assert "untrusted key" in capsys.readouterr().err


def test_checkpoints_are_append_only(petitions):
    from django.db import transaction
    from django.db.utils import InternalError, ProgrammingError

    take_checkpoint(now=NOW)
    with pytest.raises((InternalError, ProgrammingError), match="append-only"):
        with transaction.atomic():
            Checkpoint.objects.update(root="0" * 64)


# --- publication --------------------------------------------------------------------


def test_checkpoints_are_published_as_json_without_login(petitions, client):
    first = take_checkpoint(now=NOW)
    second = take_checkpoint(now=NOW)
    listing = client.get("/audit/checkpoints/")
    assert listing.status_code == 200
    assert "public" in listing["Cache-Control"]
    body = listing.json()
    assert [c["number"] for c in body["checkpoints"]] == [2, 1]
    assert body["next"] is None
    published = body["checkpoints"][1]
    assert published["statement"] == first.statement
    assert published["signature"] == first.signature
    one = client.get(f"/audit/checkpoints/{second.number}/").json()
    assert one["root"] == second.root
    assert one["url"].endswith("/audit/checkpoints/2/")


def test_checkpoint_list_pages_back_from_the_newest(petitions, client):
    for _ in range(3):
        take_checkpoint(now=NOW)
    body = client.get("/audit/checkpoints/?limit=2").json()
    assert [c["number"] for c in body["checkpoints"]] == [3, 2]
    assert body["next"].endswith("/audit/checkpoints/?before=2&limit=2")
    older = client.get(body["next"]).json()
    assert [c["number"] for c in older["checkpoints"]] == [1]


def test_unknown_checkpoint_and_bad_page_get_clear_errors(petitions, client):
    take_checkpoint(now=NOW)
    assert client.get("/audit/checkpoints/9/").status_code == 404
    bad = client.get("/audit/checkpoints/?before=abc")
    assert bad.status_code == 400
    assert "checkpoint number" in bad.json()["error"]
    assert client.get("/audit/checkpoints/?limit=1000").status_code == 400
    # Digits of other scripts and superscripts are not numbers here (workflow.codes).
    for query in ("before=²", "limit=²", "before=٢", "limit=٢"):
        refused = client.get(f"/audit/checkpoints/?{query}")
        assert refused.status_code == 400, query
        assert "error" in refused.json()


def test_erasing_text_under_the_retention_rules_keeps_the_checkpoints(
    submit, routed_to_a, handler_a, checkpoint_key, capsys
):
    from django.db import transaction
    from django.utils import timezone

    from workflow.access import Actor
    from workflow.history import erase_texts

    petition = submit()
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.request_information(
        petition_id=petition.pk, actor=handler_a, question="Xin gửi số CCCD?"
    )
    take_checkpoint(now=NOW)
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        erase_texts(locked, actor=Actor.system(), at=timezone.now())
        locked.save(update_fields=["history_head", "history_length"])
    # The reason's commitment stays in the hash: the sealed head still matches.
    call_command("verify_audit", "--checkpoints")
    assert "extends all 1 checkpoint(s)" in capsys.readouterr().out


def test_all_checkpoints_removed_is_noticed_by_the_history_they_left_unsealed(
    petitions, capsys
):
    # With every checkpoint gone none names a missing predecessor; the history
    # older than the daily schedule's slack that no checkpoint seals tells it.
    take_checkpoint(now=NOW)
    for table in ("workflow_checkpointchunk", "workflow_checkpoint"):
        behind_the_trigger(table, f"{table}_append_only", f"DELETE FROM {table}")
    later = max(p.received_at for p in petitions) + timedelta(days=3)

    with time_machine.travel(later, tick=False):
        with pytest.raises(CommandError, match="1 checkpoint problem"):
            call_command("verify_audit", "--checkpoints")
        err = capsys.readouterr().err
        assert "sealed by no checkpoint (there is none)" in err
        # A checkpoint number known from its e-mail must be here.
        with pytest.raises(CommandError, match="2 checkpoint problem"):
            call_command("verify_audit", "--checkpoints", "--expect-checkpoint", "1")
        assert (
            "checkpoint #1, known from outside, is not here" in capsys.readouterr().err
        )


def test_history_sealed_by_the_newest_checkpoint_passes_days_later(petitions, capsys):
    later = max(p.received_at for p in petitions) + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        take_checkpoint(now=later)
        call_command("verify_audit", "--checkpoints", "--expect-checkpoint", "1")
    assert "extends all 1 checkpoint(s)" in capsys.readouterr().out
