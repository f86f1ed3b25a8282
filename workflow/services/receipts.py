"""The receipt of a petition entered by staff: its code and secret, told again.

The secret exists in clear only while the petition is being entered (only its hash
is stored). A phone caller hears it read out, or gets it by SMS through
send_receipt_by_sms, which checks it against the hash first; a submitter who lost
it gets a new one from reissue_secret. Neither puts the secret in the history.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.services import Recipient, outbox_transaction, queue_notifications
from workflow import messages, permissions
from workflow.access import may_see, may_see_receipt
from workflow.errors import InvalidInput, NotPermitted
from workflow.models.petitions import Action, hash_secret, new_secret
from workflow.services.steps import finish_step, lock_petition


def _require_receipt_desk(actor, petition):
    """Who may tell a petition's receipt again: staff who may enter petitions (that
    they see it, or entered it themselves, lock_petition has checked)."""
    if not permissions.StaffRoles.of(actor).enters_petitions:
        raise NotPermitted(
            "Only the receiving staff may send this petition's receipt.",
            text=_("Chỉ cán bộ tiếp nhận mới gửi được mã tra cứu của phản ánh này."),
        )


def _require_case_reader(actor, petition):
    """A new secret opens the case on the citizen pages, answer included: staff
    give one only where they may read the case themselves (its case page offers
    it). The reception desk sees no case, so it does not: otherwise it could read
    every case it ever entered. The handling agency's staff do it, or the
    submitter alone through /track/forgot/."""
    if not may_see(actor, petition):
        raise NotPermitted(
            "A new secret is given by the handling agency's staff, or by the "
            "submitter's own recovery (/track/forgot/).",
            text=_(
                "Mã bí mật mới do cán bộ của cơ quan xử lý cấp, hoặc người gửi tự "
                "lấy lại tại /track/forgot/."
            ),
        )


@outbox_transaction()
def send_receipt_by_sms(*, petition_id, actor, secret):
    """Text the tracking code and secret to the phone the submitter gave.

    The secret must be the petition's (it is checked against the stored hash):
    a typing error is refused instead of sending a code that opens nothing. The
    outbox forgets it once sent (notifications.services.ONCE_ONLY_KEYS).
    """
    petition = lock_petition(petition_id, None, actor=actor, sees=may_see_receipt)
    _require_receipt_desk(actor, petition)
    if not petition.phone:
        raise InvalidInput(
            "The submitter gave no phone number.",
            field="phone",
            text=_("Người gửi không để lại số điện thoại."),
        )
    if not petition.has_secret(secret):
        raise InvalidInput(
            "This is not the petition's secret.",
            field="secret",
            text=_("Mã bí mật không đúng."),
        )
    now = timezone.now()
    queue_notifications(
        event="receipt",
        petition_id=petition.pk,
        recipients=[
            Recipient(messages.SMS, address=petition.phone, language=petition.language)
        ],
        now=now,
        context={"tracking_code": petition.tracking_code, "secret": secret.upper()},
    )
    finish_step(
        petition,
        actor=actor,
        action=Action.SEND_RECEIPT,
        now=now,
        data={"channel": messages.SMS},
    )
    return petition


@outbox_transaction()
def reissue_secret(*, petition_id, actor, expected_version=None) -> tuple:
    """A new secret for a submitter who lost theirs; the old one stops working.

    The receiving staff check the submitter's identity papers first (docs/staff.md);
    a submitter acting alone has proved to hold the contact on file with a one-time
    code (feedback.recovery), the only caller with a submitter actor.
    Returns (petition, new secret); the submitter is told by e-mail or SMS, if they
    gave one, so that a secret changed behind their back does not go unnoticed.
    """
    petition = lock_petition(
        petition_id, expected_version, actor=actor, sees=may_see_receipt
    )
    if not actor.is_submitter:
        _require_receipt_desk(actor, petition)
        _require_case_reader(actor, petition)
    secret = new_secret()
    petition.secret_hash = hash_secret(secret)
    now = timezone.now()
    finish_step(
        petition,
        actor=actor,
        action=Action.REISSUE_SECRET,
        now=now,
        extra_fields=["secret_hash"],
    )
    messages.secret_reissued(petition, now=now, by_submitter=actor.is_submitter)
    return petition, secret
