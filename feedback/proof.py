"""The submitter's proof file: their petition's history, checkable without us.

It holds each history entry as its four part digests, with the text of the parts
the tracking page shows (feedback.queries.parts_shown_to_submitter) — never a
staff member's name — and the path from the petition's leaf to the newest signed
checkpoint that sealed it. docs/verify_proof.py and /audit/verify/ check it with
nothing but the file and the published public key; docs/audit.md gives the format.
"""

from django.conf import settings
from django.urls import reverse

from feedback.queries import parts_shown_to_submitter
from workflow.models import Agency, HistoryEntry
from workflow.models.history import disclosures, part_digests
from workflow.proof.checkpoints import proof_path

FORMAT = "pakn-proof-v1"


class ProofUnavailable(Exception):
    """History written before entries of format 3 cannot be shown in part."""


def proof_file(petition, *, now) -> dict:
    entries = list(
        HistoryEntry.objects.filter(petition=petition)
        .select_related("petition")
        .order_by("seq")
    )
    if any(entry.hash_format != 3 for entry in entries):
        raise ProofUnavailable(
            f"Petition {petition.tracking_code} has history entries written "
            "before format 3."
        )
    shown_agencies = set()
    items = []
    for entry in entries:
        values = entry.hashed_values()
        texts = disclosures(values)
        # An erased reason has no text any more, only its digest.
        parts = parts_shown_to_submitter(entry) & set(texts)
        if "step" in parts and entry.agency_id:
            shown_agencies.add(entry.agency_id)
        items.append(
            {
                "seq": entry.seq,
                "hash": entry.hash,
                "digests": part_digests(values),
                "shown": {part: texts[part] for part in sorted(parts)},
            }
        )
    found = proof_path(petition.pk)
    return {
        "format": FORMAT,
        "about": (
            "Bằng chứng lịch sử xử lý phản ánh, kiến nghị / proof of a petition's "
            "handling history. Check it with "
            f"{_site(reverse('workflow:verifier_program'))} or "
            f"{_site(reverse('workflow:verify_proof'))}; the format is in "
            "docs/audit.md."
        ),
        "tracking_code": petition.tracking_code,
        "petition_id": petition.pk,
        "issued_at": now.isoformat(),
        "entries": items,
        # Names of the agencies in the steps shown (reference data, not hashed).
        "agencies": dict(
            Agency.objects.filter(pk__in=shown_agencies)
            .order_by("pk")
            .values_list("pk", "name")
        ),
        "sealed": _sealed(found),
    }


def _sealed(found) -> dict | None:
    if found is None:
        return None
    checkpoint = found.checkpoint
    return {
        "count": found.count,
        "head": found.head,
        "path": [list(step) for step in found.steps],
        "checkpoint": {
            "number": checkpoint.number,
            "statement": checkpoint.statement,
            "signature": checkpoint.signature,
            "public_key": checkpoint.public_key,
            "url": _site(reverse("workflow:checkpoint", args=[checkpoint.number])),
        },
    }


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
