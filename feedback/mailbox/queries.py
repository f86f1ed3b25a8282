"""The triage desk's e-mail drafts."""

from feedback.mailbox.models import InboundEmail


def pending_drafts():
    """Drafts waiting for a coordinator, the oldest arrival first
    (inbound_pending_idx)."""
    return InboundEmail.objects.filter(status=InboundEmail.Status.PENDING).order_by(
        "received_at", "pk"
    )


def recently_decided(limit=20):
    return (
        InboundEmail.objects.exclude(status=InboundEmail.Status.PENDING)
        .select_related("petition", "decided_by")
        .order_by("-decided_at")[:limit]
    )
