"""Status sync to the National Public Service Portal: a signed JSON POST per change.

The receiver checks `X-PAKN-Signature: sha256=<hex>`, the HMAC-SHA256 with the shared
secret of "<X-PAKN-Timestamp>.<raw body>", rejects stale timestamps, and drops a
repeated `Idempotency-Key` (docs/notifications.md is the contract for the portal team).
Anything but a 2xx answer is retried with back-off; redirects are not followed, since
a redirected POST would reach a URL nobody configured.
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request

from django.conf import settings

from notifications.channels import DeliveryError, PermanentFailure

USER_AGENT = "PAKN-status-sync/1"


def is_enabled() -> bool:
    return bool(settings.PORTAL_WEBHOOK_URL)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    signed = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def encode(payload: dict) -> bytes:
    return json.dumps(
        payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status


_opener = urllib.request.build_opener(_NoRedirect)


def send(*, payload: dict, idempotency_key: str, now) -> None:
    url, secret = settings.PORTAL_WEBHOOK_URL, settings.PORTAL_WEBHOOK_SECRET
    if not url or not secret:
        raise PermanentFailure(
            "PORTAL_WEBHOOK_URL and PORTAL_WEBHOOK_SECRET must both be set."
        )
    body = encode(payload)
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-PAKN-Timestamp": timestamp,
            "X-PAKN-Signature": signature(secret, timestamp, body),
            "Idempotency-Key": idempotency_key,
        },
    )
    try:
        with _opener.open(request, timeout=settings.PORTAL_WEBHOOK_TIMEOUT) as reply:
            status = reply.status
    except urllib.error.HTTPError as error:
        excerpt = error.read(300).decode("utf-8", "replace")
        raise DeliveryError(f"Portal answered HTTP {error.code}: {excerpt}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryError(f"Portal not reachable: {reason}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"Portal answered HTTP {status}.")
