"""`manage.py cluster`: a django-q2 cluster whose first process is its sentinel.

`manage.py qcluster` keeps a main process that only waits for the sentinel it
forked: a sixth copy of Django (about 55 MB of RSS) doing nothing. This command
runs the sentinel itself, so a cluster of N workers is N + 3 processes (sentinel,
monitor, pusher, workers), each forked from it as qcluster's are. SIGTERM or
SIGINT stops it cleanly, as qcluster: the workers finish their task first. No
system checks: `migrate` and the web processes run them at deployment, and they
would load every URL and view into the processes forked afterwards.
"""

import ctypes
import os
import signal
import threading
import uuid
from multiprocessing import Event

from django.conf import settings
from django.core.management.base import BaseCommand
from django_q.cluster import Sentinel
from django_q.conf import logger
from django_q.humanhash import humanize


class Command(BaseCommand):
    help = "Runs a django-q2 cluster (as qcluster, without its idle main process)."
    requires_system_checks = []

    def handle(self, *args, **options):
        settings.SECRET_KEY  # noqa: B018 (qcluster's check: tasks are signed)
        stop, started = Event(), Event()
        cluster_id = uuid.uuid4()
        sentinel = Sentinel(stop, started, cluster_id, start=False)

        def stop_cluster(signum, frame):
            # Not stop.set() here: the handler runs in the thread that is waiting
            # on that event, and multiprocessing's Event.set() waits for the
            # waiters to wake, which this thread would then never do.
            threading.Thread(target=stop.set).start()

        signal.signal(signal.SIGTERM, stop_cluster)
        signal.signal(signal.SIGINT, stop_cluster)
        # The children keep what qcluster's children have, the handlers Sentinel()
        # set: SIGTERM ends one (the sentinel replaces it), Ctrl-C is the
        # sentinel's business.
        os.register_at_fork(after_in_child=_child_signals)
        logger.info("Q Cluster %s starting.", humanize(cluster_id.hex))
        sentinel.start()  # spawns the processes and guards them until stopped
        logger.info("Q Cluster %s has stopped.", humanize(cluster_id.hex))


def _child_signals():
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()


PR_SET_PDEATHSIG = 1


def _end_with_parent():
    """Linux: a child is sent SIGTERM when the sentinel dies (kill -9), rather than
    going on unguarded, pulling tasks beside the cluster that replaces it. What it
    held is delivered again (leases, the every-minute deliver_due)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: orphans are possible there
        return
    if os.getppid() == 1:  # the sentinel died before prctl took effect
        os._exit(1)
