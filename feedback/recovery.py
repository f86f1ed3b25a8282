"""A lost secret recovered by the submitter alone ("quên mã bí mật").

A one-time code goes to the e-mail or phone given with the petition, through the
outbox; whoever can read it there is the submitter as far as the system can tell.
Redeemed once, the code issues a new secret through workflow's reissue_secret,
the same service the receiving desk uses: the history records it and the old
secret stops working. Requests and tries count against the client's IP and the
petition (feedback.ratelimit), so that codes can be neither flooded nor guessed.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from feedback.models import SecretRecoveryCode
from feedback.services import RateLimited, _enforce
from notifications.services import queue_notifications
from workflow import messages
from workflow import services as workflow
from workflow.access import Actor
from workflow.models import Petition

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=15)
TRIES_PER_CODE = 5

__all__ = ["RateLimited", "WrongCode", "request_code", "redeem_code"]


class WrongCode(Exception):
    """The code is wrong, used, expired or tried too often (which one is not said)."""


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def _limit(key, *, now):
    _enforce(
        key,
        scope="recovery",
        limit=settings.FEEDBACK_RECOVERY_LIMIT,
        window_seconds=settings.FEEDBACK_RECOVERY_WINDOW,
        now=now,
    )


@transaction.atomic
def request_code(*, tracking_code: str, client_ip: str) -> bool:
    """Send a one-time code to the contacts on file; False when there is none.

    An unknown tracking code answers False too, so that the reply tells a stranger
    nothing about which codes exist. A new code voids the earlier ones.
    """
    now = timezone.now()
    _limit(f"recover-ip:{client_ip}", now=now)
    code_text = (tracking_code or "").strip().upper()
    petition = Petition.objects.filter(tracking_code=code_text).first()
    if petition is None:
        return False
    _limit(f"recover-petition:{petition.pk}", now=now)
    recipients = messages.submitter_recipients(petition)
    if not recipients:
        return False
    SecretRecoveryCode.objects.filter(petition=petition, used_at=None).update(
        used_at=now
    )
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    SecretRecoveryCode.objects.create(
        petition=petition,
        code_hash=_hash(code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    # "secret" is a once-only key: the outbox forgets the code once it is sent.
    queue_notifications(
        event="recovery_code",
        petition_id=petition.pk,
        recipients=recipients,
        now=now,
        context={
            "tracking_code": petition.tracking_code,
            "title": petition.title,
            "secret": code,
            "minutes": int(CODE_LIFETIME.total_seconds() // 60),
        },
    )
    return True


def redeem_code(*, tracking_code: str, code: str, client_ip: str) -> tuple:
    """A new secret for the petition whose one-time code this is: (petition, secret).

    Every try counts against the IP (outside the transaction, so a wrong try is
    counted too) and against the code itself, which dies after TRIES_PER_CODE.
    """
    now = timezone.now()
    _limit(f"recover-try-ip:{client_ip}", now=now)
    with transaction.atomic():
        row = (
            SecretRecoveryCode.objects.select_for_update()
            .filter(
                petition__tracking_code=(tracking_code or "").strip().upper(),
                used_at=None,
                expires_at__gt=now,
            )
            .order_by("-created_at")
            .first()
        )
        if row is None or row.attempts >= TRIES_PER_CODE:
            raise WrongCode()
        if not hmac.compare_digest(row.code_hash, _hash(code or "")):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            wrong = True
        else:
            wrong = False
            row.used_at = now
            row.save(update_fields=["used_at"])
            petition, secret = workflow.reissue_secret(
                petition_id=row.petition_id, actor=Actor.submitter()
            )
    if wrong:
        raise WrongCode()
    return petition, secret
