"""Channels deliver one rendered message; they know nothing about the outbox.

A channel raises DeliveryError when a later attempt may succeed (network down, the
receiver answered 5xx) and PermanentFailure when it cannot (no address, no template).
Every send carries the row's idempotency key so that a receiver can drop a repeat.
"""


class DeliveryError(Exception):
    """This attempt failed; try again after the back-off."""


class PermanentFailure(DeliveryError):
    """No retry can succeed until someone fixes the cause (then: admin "retry")."""
