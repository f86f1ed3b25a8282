"""Extensions of the case deadline: asked once by a handler, decided by a supervisor."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.services import outbox_transaction
from workflow import messages, permissions, sla
from workflow.errors import InvalidInput, NotAllowedNow, NotPermitted
from workflow.models import Action, Extension
from workflow.services.steps import (
    finish_step,
    lock_petition,
    optional_text,
    required_text,
)

MAX_EXTENSION_DAYS = 30


@outbox_transaction()
def request_extension(*, petition_id, actor, days, reason, expected_version=None):
    """Ask once, with a reason, for more time on the case deadline.

    A supervisor decides (decide_extension); the original deadline is kept beside
    the new one, and a breach already recorded stays recorded.
    """
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.REQUEST_EXTENSION)
    reason = required_text(reason)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise InvalidInput(
            "Days must be a whole number.",
            field="days",
            text=_("Số ngày phải là số nguyên."),
        ) from None
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(
            f"An extension is 1 to {MAX_EXTENSION_DAYS} days.",
            field="days",
            text=_("Gia hạn từ 1 đến %(days)s ngày."),
            params={"days": MAX_EXTENSION_DAYS},
        )
    if Extension.objects.filter(petition=petition).exists():
        raise NotAllowedNow(
            "This petition's deadline can be extended only once.",
            text=_("Thời hạn của phản ánh chỉ được gia hạn một lần."),
        )
    now = timezone.now()
    _require_deadline_running(petition, now)
    Extension.objects.create(
        petition=petition,
        days=days,
        reason=reason,
        requested_by=actor.user,
        requested_at=now,
    )
    finish_step(
        petition,
        actor=actor,
        action=Action.REQUEST_EXTENSION,
        now=now,
        reason=reason,
        data={"days": days},
    )
    messages.extension_requested(petition, now=now, requested_by=actor.user)
    return petition


def _require_deadline_running(petition, now):
    """More time is given before the case deadline, not after it: an extension
    approved once the deadline has passed would turn a late answer into an
    on-time one in every figure (no deadline laundering; the breach itself is
    recorded either way). A paused clock (awaiting information) has no deadline
    running out."""
    if petition.due_at is not None and petition.due_at <= now:
        raise NotAllowedNow(
            "The case deadline has passed: an extension is given before it, not after.",
            text=_(
                "Đã quá hạn giải quyết: chỉ gia hạn được trước khi hết hạn, không "
                "gia hạn sau khi đã quá hạn."
            ),
        )


@outbox_transaction()
def decide_extension(*, petition_id, actor, approve, note="", expected_version=None):
    """A supervisor approves or refuses the pending extension request."""
    petition = lock_petition(petition_id, expected_version, actor=actor)
    permissions.require(actor, petition, Action.DECIDE_EXTENSION)
    extension = Extension.objects.filter(
        petition=petition, status=Extension.Status.PENDING
    ).first()
    if extension is None:
        raise NotAllowedNow(
            "No extension request is waiting for a decision.",
            text=_("Không có đề nghị gia hạn nào đang chờ quyết định."),
        )
    if actor.user is not None and permissions.requested_the_extension(
        actor.user.pk, extension
    ):
        raise NotPermitted(
            "The supervisor who asked for the extension does not decide it: "
            "another supervisor (of the agency or above it) or an admin does.",
            text=_(
                "Người đề nghị gia hạn không tự quyết định được: lãnh đạo khác của "
                "đơn vị (hoặc đơn vị cấp trên) quyết định."
            ),
        )
    note = optional_text(note, what="note")
    if not approve and not note:
        raise InvalidInput(
            "Say why the extension is refused.",
            field="note",
            text=_("Vui lòng nêu lý do không duyệt gia hạn."),
        )
    now = timezone.now()
    if approve:
        _require_deadline_running(petition, now)
        sla.extend_answer_clock(petition, days=extension.days, now=now)
    extension.status = (
        Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    )
    extension.decided_by, extension.decided_at = actor.user, now
    extension.decision_note = note
    extension.save()
    finish_step(
        petition,
        actor=actor,
        action=Action.APPROVE_EXTENSION if approve else Action.REFUSE_EXTENSION,
        now=now,
        reason=extension.decision_note,
        data={"days": extension.days},
    )
    messages.extension_decided(petition, now=now, approved=approve, days=extension.days)
    return petition


def withdraw_pending(petition) -> int | None:
    """Withdraw the request still waiting for a decision, and return its days;
    None when none waits.

    When the petition leaves its agency (transfer), the agency that asked no
    longer holds the case and its supervisors are no longer the ones to decide:
    the new agency may ask for the one extension itself. When the answer goes
    out, the time asked for is no longer needed, and the request would wait on
    the supervisors' list for ever. The request stays in the history; the step's
    entry records the withdrawal.
    """
    pending = Extension.objects.filter(
        petition=petition, status=Extension.Status.PENDING
    ).first()
    if pending is None:
        return None
    pending.delete()
    return pending.days
