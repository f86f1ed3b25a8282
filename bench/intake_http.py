"""Benchmark: the intake API over HTTP, gunicorn with 2 workers (target ≥ 600/s).

    .venv/bin/python bench/intake_http.py [--requests 5000] [--runs 3]
        [--connections 32] [--workers N] [--worker-class gthread --threads 16]
        [--max-seconds 120]

Uses its own database (`pakn_bench_http`, see common.py) with the demo's reference
data, issues an API key (rate-limited, with a limit the run never reaches, so
requests are still counted), starts gunicorn with the production settings
(config/gunicorn.py: 2 workers × 16 threads) on a free port of 127.0.0.1 and
sends POST /api/v1/petitions from threads of this process, each on its own
keep-alive connection (prepared requests over plain sockets, see KeepAlive).
Each of `--runs` runs sends `--requests` new petitions and is bounded by a time
limit. Prints requests per second of every run and their
median, the CPU time a request costs (the web workers', PostgreSQL's and this
client's, from psutil over the runs), answers by status, latency percentiles,
each web worker's RSS after the runs and the load average at each run, then
stops gunicorn. Requests per second vary by ±20 % from run to run on this shared
machine (hence several runs); CPU milliseconds per request move far less (about
±10 %), and 2 cores divided by them is the machine's ceiling.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

from common import ROOT, use_bench_database

# Before use_bench_database sets it to the bench database.
EXTERNAL_SERVER = bool(os.environ.get("DATABASE_URL"))
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def api_bodies(count):
    """JSON bodies for the API, from the same varied petitions as bench/intake.py."""
    from intake import bodies

    for arguments in bodies(count, prefix="HTTP"):
        yield json.dumps(
            {
                "external_id": arguments["channel_ref"],
                "submitter": {
                    "kind": arguments["submitter_kind"],
                    "name": arguments["submitter_name"],
                    "email": arguments["email"],
                    "phone": arguments["phone"],
                },
                "title": arguments["title"],
                "content": arguments["content"],
                "category": arguments["category"],
                "province": arguments["province"],
                "commune": arguments["commune"],
                "publish_consent": arguments["publish_consent"],
            }
        ).encode()


def start_gunicorn(port, args, log):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "config/gunicorn.py",
        "config.wsgi:application",
        *(["--workers", str(args.workers)] if args.workers else []),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=log
    )


def wait_until_ready(port, process, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/schema")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


class KeepAlive:
    """One keep-alive HTTP/1.1 connection that sends prepared requests and reads
    each answer's status and body by its Content-Length.

    Lean on purpose: the client shares the machine's two cores with what it
    measures, and http.client spent 0.36 ms of CPU a request building headers
    and parsing answers, a tenth of the whole budget. The portal's requests come
    from other machines; the less the client costs, the nearer the figure is to
    the server's own.
    """

    def __init__(self, port):
        self.port = port
        self.sock = None
        self.buffer = b""

    def request(self, raw: bytes) -> int:
        """Send one request; its answer's status (0 when the connection failed)."""
        try:
            if self.sock is None:
                self.sock = socket.create_connection(("127.0.0.1", self.port), 30)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.buffer = b""
            self.sock.sendall(raw)
            return self._answer()
        except (OSError, ValueError, KeyError, IndexError):
            # Refused, reset, or an answer that is not HTTP with a length.
            self.close()
            return 0

    def _answer(self) -> int:
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = dict(line.split(":", 1) for line in lines[1:])
        fields = {name.strip().lower(): value.strip() for name, value in fields.items()}
        length = int(fields["content-length"])
        while len(rest) < length:
            self.buffer = rest
            self._fill()
            rest = self.buffer
        self.buffer = rest[length:]
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ValueError("connection closed")
        self.buffer += chunk

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None


def post_requests(port, key, bodies) -> list[bytes]:
    """POST /api/v1/petitions requests, ready to send."""
    head = (
        "POST /api/v1/petitions HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {key}\r\n"
        "Content-Type: application/json\r\n"
    )
    return [
        f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body for body in bodies
    ]


def hammer(port, key, bodies, *, connections, max_seconds):
    """Send every body once over `connections` keep-alive connections."""
    work = iter(post_requests(port, key, bodies))
    lock = threading.Lock()
    results = []  # (status, seconds)
    deadline = time.monotonic() + max_seconds

    def client():
        connection = KeepAlive(port)
        mine = []
        while time.monotonic() < deadline:
            with lock:
                raw = next(work, None)
            if raw is None:
                break
            started = time.perf_counter()
            status = connection.request(raw)
            mine.append((status, time.perf_counter() - started))
        connection.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def web_worker_rss(server) -> list[int]:
    """Resident memory of each gunicorn worker (the master's children)."""
    import psutil

    return [child.memory_info().rss for child in psutil.Process(server.pid).children()]


class CpuClock:
    """CPU seconds (user + system) spent by the gunicorn processes, the PostgreSQL
    server (every process of its postmaster, exited ones included) and this
    process. A reading is a dict of the three; the difference of two readings
    is what a run cost."""

    def __init__(self, server):
        import psutil

        self._psutil = psutil
        self._server = psutil.Process(server.pid)
        self._postmaster = postmaster()

    def read(self) -> dict:
        def own(process):
            times = process.cpu_times()
            return times.user + times.system

        def tree(root):
            # A child that exited was reaped by its parent: its times are the
            # parent's children_* from then on.
            times = root.cpu_times()
            total = own(root) + times.children_user + times.children_system
            for child in root.children(recursive=True):
                try:
                    total += own(child)
                except self._psutil.NoSuchProcess:
                    pass
            return total

        return {
            "worker": tree(self._server),
            "postgresql": tree(self._postmaster) if self._postmaster else None,
            "client": own(self._psutil.Process()),
        }


def postmaster():
    """The embedded server's postmaster, or None for a DATABASE_URL server (on
    another machine, perhaps: not measured)."""
    import psutil

    from config.database import EMBEDDED_DATA_DIR

    if EXTERNAL_SERVER:
        return None
    pid = int((EMBEDDED_DATA_DIR / "postmaster.pid").read_text().split("\n", 1)[0])
    return psutil.Process(pid)


def cpu_per_request(before, after, requests) -> dict:
    return {
        part: None
        if before[part] is None
        else (after[part] - before[part]) / requests * 1000
        for part in before
    }


def percentile(sorted_values, fraction):
    return sorted_values[
        min(int(len(sorted_values) * fraction), len(sorted_values) - 1)
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--warm-up", type=int, default=200)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--worker-class", default="gthread", choices=["sync", "gthread"]
    )
    parser.add_argument(
        "--threads", type=int, default=16, help="per worker (config/gunicorn.py)"
    )
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--workers",
        type=int,
        help="web workers (default: config/gunicorn.py's, WEB_WORKERS or 2)",
    )
    args = parser.parse_args()

    use_bench_database("pakn_bench_http")
    from django.db import connections
    from django.utils import timezone
    from intake import prepare

    from feedback.integrations.keys import issue_api_key
    from workflow.models import Petition

    prepare()
    _, key = issue_api_key(
        name=f"bench-{time.time_ns()}",
        now=timezone.now(),
        requests_per_minute=10**9,
    )
    bodies = list(api_bodies(args.warm_up + args.runs * args.requests))
    connections.close_all()

    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = start_gunicorn(port, args, log)
        try:
            wait_until_ready(port, server)
            hammer(
                port,
                key,
                bodies[: args.warm_up],
                connections=args.connections,
                max_seconds=args.max_seconds,
            )
            clock = CpuClock(server)
            runs, cpu, loads = [], [], []
            for run in range(args.runs):
                first = args.warm_up + run * args.requests
                before = clock.read()
                answers, elapsed = hammer(
                    port,
                    key,
                    bodies[first : first + args.requests],
                    connections=args.connections,
                    max_seconds=args.max_seconds,
                )
                cpu.append(cpu_per_request(before, clock.read(), len(answers)))
                loads.append(os.getloadavg()[0])
                runs.append((answers, elapsed))
            workers_rss = web_worker_rss(server)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.seek(0)
        server_log = log.read().decode(errors="replace").strip()

    results = [answer for answers, _ in runs for answer in answers]
    rates = [len(answers) / elapsed for answers, elapsed in runs]
    latencies = sorted(seconds for _, seconds in results)
    statuses = Counter(status for status, _ in results)
    created = Petition.objects.filter(channel_ref__startswith="HTTP-").count()
    print(
        f"gunicorn            : {len(workers_rss)} workers, {args.worker_class}"
        + (f" × {args.threads} threads" if args.worker_class == "gthread" else "")
        + f", 127.0.0.1:{port}"
    )
    # The interpreter's build moves the figures (Makefile, docs/operations.md).
    interpreter = os.path.realpath(sys.executable)
    print(f"python              : {sys.version.split()[0]}, {interpreter}")
    print(f"load                : {args.connections} keep-alive connections")
    print(
        f"requests            : {len(results)} in {len(runs)} runs "
        f"({', '.join(f'{r:,.0f}/s' for r in rates)})"
    )
    print(
        f"rate                : {statistics.median(rates):,.0f} requests/s, "
        "median of the runs (target ≥ 600)"
    )
    for part in ("worker", "postgresql", "client"):
        figures = [run[part] for run in cpu]
        print(
            f"CPU {part:<16}: "
            + (
                "not measured (DATABASE_URL's server)"
                if None in figures
                else f"{statistics.median(figures):.2f} ms a request, median "
                f"({', '.join(f'{f:.2f}' for f in figures)})"
            )
        )
    if all(None not in run.values() for run in cpu):
        totals = [sum(run.values()) for run in cpu]
        total = statistics.median(totals)
        cores = os.cpu_count() or 1
        print(
            f"CPU in all          : {total:.2f} ms a request, median "
            f"({', '.join(f'{t:.2f}' for t in totals)}; target ≤ 3.0): "
            f"{cores} cores give at most {cores * 1000 / total:,.0f}/s"
        )
    print(f"load after each run : {', '.join(f'{load:.2f}' for load in loads)}")
    print(f"answers             : {dict(sorted(statuses.items()))}")
    print(f"petitions in the db : {created} (warm-up included)")
    print(
        "web workers' RSS    : "
        + ", ".join(f"{rss / 2**20:.1f} MB" for rss in workers_rss)
        + " after the runs (target ≤ 150 MB each)"
    )
    print(f"load average        : {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print(
        "latency             : "
        f"p50 {percentile(latencies, 0.50) * 1000:.1f} ms, "
        f"p90 {percentile(latencies, 0.90) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, "
        f"max {latencies[-1] * 1000:.1f} ms"
    )
    if server_log:
        print("gunicorn said:\n" + server_log[-2000:])


if __name__ == "__main__":
    main()
