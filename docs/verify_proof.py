#!/usr/bin/env python3
"""Check a PAKN proof file without trusting the server that issued it.

    python3 verify_proof.py pakn-proof-XXXXXXXXXX.json [--public-key HEX]

Kiểm tra tệp bằng chứng lịch sử xử lý phản ánh, kiến nghị mà không cần tin máy chủ.

Needs Python 3.9+ and the `cryptography` package (pip install cryptography) for
the Ed25519 signature; nothing else, and nothing from this project. It checks:

1. every history entry: the parts shown hash to their digests, and the entry's
   hash, recomputed from its part digests, chains to the entry before it;
2. the sealed head: the entry the checkpoint sealed ends in the sealed head, and
   the leaf (petition id, entry count, head) folds along the path to the root;
3. the checkpoint: the root is the one its statement names, and the statement's
   Ed25519 signature verifies under its public key.

Compare that public key with one published outside the system (the checkpoint
e-mails, the agency's notice) or pass it with --public-key: a server that lied
would have to sign with a key nobody published. The format is in docs/audit.md.
Exit status 0: the proof holds; 1: it does not (the reason is printed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

ENTRY_PREFIX = "pakn-history-v3"
PARTS = ("step", "actor", "reason", "data")
GENESIS = "0" * 64


class Invalid(Exception):
    pass


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_hash(petition_id, tracking_code, seq, prev, digests) -> str:
    lines = [ENTRY_PREFIX, str(petition_id), tracking_code, str(seq), prev]
    return sha256_hex("\n".join(lines + [digests[part] for part in PARTS]))


def read_part(seq: int, part: str, text: str):
    """A shown part's content. The reason's text is its salt and the reason on
    two lines; the others' the JSON array [salt, part name, content]."""
    if part == "reason":
        _salt, _, reason = text.partition("\n")
        return reason
    _salt, name, content = json.loads(text)
    if name != part:
        raise Invalid(f"entry #{seq}: its {part} is labelled {name!r}")
    return content


def leaf_hash(petition_id: int, count: int, head_hex: str) -> bytes:
    record = (
        petition_id.to_bytes(8, "big")
        + count.to_bytes(4, "big")
        + bytes.fromhex(head_hex)
    )
    return hashlib.sha256(b"\x00" + record).digest()


def fold(node: bytes, path) -> bytes:
    for side, sibling_hex in path:
        sibling = bytes.fromhex(sibling_hex)
        if side == "L":
            node = hashlib.sha256(b"\x01" + sibling + node).digest()
        elif side == "R":
            node = hashlib.sha256(b"\x01" + node + sibling).digest()
        else:
            raise Invalid(f"path step side must be L or R, not {side!r}")
    return node


def check_signature(public_key_hex: str, signature_hex: str, message: bytes):
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import (
            Ed25519PublicKey,
        )
    except ImportError:
        raise Invalid(
            "the `cryptography` package is needed (pip install cryptography)"
        ) from None
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        key.verify(bytes.fromhex(signature_hex), message)
    except (ValueError, InvalidSignature):
        raise Invalid("the checkpoint's signature does not verify") from None


def verify(proof: dict, pinned_key: str | None = None) -> list[str]:
    """The report lines of a proof that holds; raises Invalid otherwise."""
    if proof.get("format") != "pakn-proof-v1":
        raise Invalid(f"unknown format {proof.get('format')!r}")
    petition_id, code = proof["petition_id"], proof["tracking_code"]
    agencies = proof.get("agencies", {})
    report, hashes, prev = [f"Petition / phản ánh {code}"], [], GENESIS
    for expected_seq, entry in enumerate(proof["entries"], start=1):
        seq = entry["seq"]
        if seq != expected_seq:
            raise Invalid(f"entry #{expected_seq} is missing (found #{seq})")
        digests = entry["digests"]
        shown = {}
        for part, text in entry.get("shown", {}).items():
            if part not in PARTS or sha256_hex(text) != digests[part]:
                raise Invalid(f"entry #{seq}: its {part} was altered")
            shown[part] = read_part(seq, part, text)
        computed = entry_hash(petition_id, code, seq, prev, digests)
        if entry.get("hash") not in (None, computed):
            raise Invalid(f"entry #{seq}: its hash does not match its content")
        hashes.append(computed)
        prev = computed
        report.append(describe(seq, shown, agencies))
    sealed = proof.get("sealed")
    if not sealed:
        report.append(
            "NOT SEALED YET: no checkpoint included this petition when the file "
            "was made; download it again after the next daily checkpoint."
        )
        raise Invalid("\n".join(report))
    count, head = sealed["count"], sealed["head"]
    if not 1 <= count <= len(hashes) or hashes[count - 1] != head:
        raise Invalid(f"the entries do not end in the sealed head at entry #{count}")
    checkpoint = sealed["checkpoint"]
    statement_text = checkpoint["statement"]
    statement = json.loads(statement_text)
    root = fold(leaf_hash(petition_id, count, head), sealed["path"]).hex()
    if root != statement["root"]:
        raise Invalid(
            "the path does not lead to the checkpoint's root "
            "(this petition's history is not the one sealed)"
        )
    public_key = checkpoint["public_key"]
    if statement.get("public_key") != public_key:
        raise Invalid("the statement names another public key than the file")
    check_signature(public_key, checkpoint["signature"], statement_text.encode())
    if pinned_key and pinned_key.strip().lower() != public_key.lower():
        raise Invalid(
            f"the checkpoint is signed by {public_key}, not by the key you gave"
        )
    report.append(
        f"SEALED: entries 1–{count} are in checkpoint #{statement['number']} "
        f"of {statement['taken_at']} ({statement['petitions']} petitions), "
        "signed with Ed25519 key " + public_key
    )
    if count < len(hashes):
        report.append(
            f"Entries {count + 1}–{len(hashes)} came later: the next checkpoint "
            "seals them."
        )
    if not pinned_key:
        report.append(
            "Compare the key above with the one the agency published "
            "(or run again with --public-key)."
        )
    return report


def describe(seq, shown, agencies) -> str:
    step = shown.get("step")
    if step is None:
        return f"  #{seq}: an internal step (not shown to the submitter)"
    line = f"  #{seq}: {step['at']} {step['action']} → {step['to']}"
    if step.get("agency") is not None:
        line += (
            f" ({agencies.get(str(step['agency']), 'agency ' + str(step['agency']))})"
        )
    if shown.get("reason"):
        line += f" — {shown['reason']}"
    if shown.get("data"):
        line += f" {json.dumps(shown['data'], ensure_ascii=False)}"
    return line


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("file", help="the proof file (pakn-proof-….json)")
    parser.add_argument(
        "--public-key", help="the published Ed25519 public key (64 hex digits)"
    )
    args = parser.parse_args(argv)
    try:
        with open(args.file, encoding="utf-8") as handle:
            proof = json.load(handle)
        report = verify(proof, args.public_key)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"INVALID / KHÔNG HỢP LỆ: unreadable proof file ({error})")
        return 1
    except Invalid as error:
        print(f"INVALID / KHÔNG HỢP LỆ: {error}")
        return 1
    print("\n".join(report))
    print("VALID / HỢP LỆ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
