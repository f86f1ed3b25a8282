"""`manage.py cluster`: django-q2's processes without qcluster's idle main one."""

import os
import signal
import time

import psutil
import pytest

from tests.support.cluster import running_cluster


def children_when_ready(process, expected, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        children = psutil.Process(process.pid).children()
        if len(children) == expected:
            return children
        time.sleep(0.2)
    raise AssertionError(f"{len(children)} children, not {expected}")


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
def test_the_cluster_is_its_sentinel_and_its_children_end_with_it(tmp_path):
    log = tmp_path / "cluster.log"
    with running_cluster(log, Q_WORKERS="2") as cluster:
        # Two workers, the monitor and the pusher, all children of the command.
        children = children_when_ready(cluster, 4)
        assert all(c.cmdline()[-1] == "cluster" for c in children)
        # A worker sent SIGTERM is replaced, as under qcluster.
        worker = children[0]
        worker.send_signal(signal.SIGTERM)
        worker.wait(10)
        replaced = children_when_ready(cluster, 4)
        assert worker.pid not in {c.pid for c in replaced}
        # kill -9 of the sentinel: no child goes on unguarded.
        os.kill(cluster.pid, signal.SIGKILL)
        cluster.wait(10)
        gone, alive = psutil.wait_procs(replaced, timeout=10)
        assert alive == [], log.read_text()[-2000:]
