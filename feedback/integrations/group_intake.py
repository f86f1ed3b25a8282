"""Petitions arriving at once in one process are received in one transaction.

The portal delivers petitions one per HTTP request, from many connections at
once. Each costs a transaction of about a dozen statements, however small; a
batch of them costs about the same dozen (`services.submit_petitions`). So
concurrent requests of a process hand their petitions to one of them, the
leader, which receives everything waiting in one batch, then wakes each with its
own result (group commit, as a database does with its log). Nobody waits for a
batch to fill: a lone request is a batch of one, and under load the next batch
forms while the current one is written.

The delivery of the batches' notifications is enqueued as one task per run of
batches (when nobody is waiting any more) or every DELIVER_EVERY seconds, not
one per batch: the enqueue costs a write of its own.

A request learns its result only after the batch committed. A batch that fails
as a whole (a lost connection, say) is taken apart and each petition tried
alone, so one bad petition cannot take the others down with it.
"""

import logging
import threading
import time
from dataclasses import dataclass, field

from notifications.services import deliver_soon, held_deliveries
from workflow import services

logger = logging.getLogger(__name__)

# The portal's burst, at most, in one transaction; the rest forms the next batch.
MAX_BATCH = 200
DELIVER_EVERY = 0.2  # seconds


@dataclass(eq=False)
class _Arrival:
    draft: dict
    done: threading.Event = field(default_factory=threading.Event)
    leads: bool = False
    result: object = None


class GroupIntake:
    def __init__(self, receive=None, max_batch=MAX_BATCH):
        # `receive` takes drafts and returns a Submission or an exception for each
        # (services.submit_petitions); looked up late so tests see the real one.
        self._receive = receive or (lambda drafts: services.submit_petitions(drafts))
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._waiting: list[_Arrival] = []
        self._busy = False
        self._undelivered: list[int] = []
        self._delivered_at = time.monotonic()

    def submit(self, **fields) -> services.Submission:
        """Receive one petition (submit_petition's arguments) with whoever else is
        arriving: returns its Submission or raises its error."""
        arrival = _Arrival(fields)
        with self._lock:
            self._waiting.append(arrival)
            arrival.leads = not self._busy
            self._busy = True
        if not arrival.leads:
            arrival.done.wait()
        if arrival.leads:  # from the start, or handed on by the last leader
            self._lead()
        if isinstance(arrival.result, BaseException):
            raise arrival.result
        return arrival.result

    def _lead(self):
        with self._lock:
            batch = self._waiting[: self._max_batch]
            del self._waiting[: self._max_batch]
        committed = []
        try:
            with held_deliveries() as committed:
                results = self._results(batch)
            for arrival, result in zip(batch, results, strict=True):
                arrival.result = result
        finally:
            with self._lock:
                # The next batch is led by the first to arrive after this one began;
                # the others were already told their results.
                successor = self._waiting[0] if self._waiting else None
                self._busy = successor is not None
                self._undelivered.extend(committed)
                to_deliver = []
                now = time.monotonic()
                if successor is None or now - self._delivered_at > DELIVER_EVERY:
                    to_deliver, self._undelivered = self._undelivered, []
                    self._delivered_at = now
            if successor is not None:
                successor.leads = True
                successor.done.set()
            for arrival in batch:
                if arrival.result is None:  # the leader itself failed
                    arrival.result = RuntimeError("The intake batch failed.")
                arrival.leads = False
                arrival.done.set()
            if to_deliver:
                _deliver(to_deliver)

    def _results(self, batch):
        try:
            return self._receive([a.draft for a in batch])
        except Exception as error:  # noqa: BLE001 (each one is retried alone)
            if len(batch) == 1:
                return [error]
        results = []
        for arrival in batch:
            try:
                [result] = self._receive([arrival.draft])
            except Exception as error:  # noqa: BLE001 (this one's own failure)
                result = error
            results.append(result)
        return results


def _deliver(ids):
    try:
        deliver_soon(ids)
    except Exception:  # the petitions are in; the safety net sends their messages
        logger.exception("Could not enqueue the delivery of %d notifications", len(ids))


_intake = GroupIntake()


def submit_petition(**fields) -> services.Submission:
    """services.submit_petition, sharing a transaction with concurrent callers."""
    return _intake.submit(**fields)
