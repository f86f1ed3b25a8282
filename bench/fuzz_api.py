"""Long fuzz of the intake API as production serves it: schemathesis against gunicorn.

    .venv/bin/python bench/fuzz_api.py [--examples 500] [--max-seconds 1800]

Uses its own database (`pakn_bench_fuzz`, see common.py) with the demo data
(`seed_demo --if-empty`), issues an unlimited API key, starts gunicorn with the
production settings (config/gunicorn.py, DEBUG off, HTTPS=false on 127.0.0.1) on
a free port, and runs `schemathesis run` on the served schema with every check
(no 5xx, responses as documented, positive data accepted, negative refused,
authentication enforced), `--examples` per operation and mode, bounded by
`--max-seconds`. Prints schemathesis's summary (operations, examples, failures)
and exits with its status. The suite runs the same checks with 25 examples
(tests/integrations/test_api_schema.py); Open311 and the citizen pages are
fuzzed by tests/integrations/test_any_input.py (PAKN_FUZZ_EXAMPLES raises it).
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

from common import ROOT, use_bench_database
from intake_http import free_port, wait_until_ready

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=500)
    parser.add_argument("--max-seconds", type=int, default=1800)
    args = parser.parse_args()

    use_bench_database("pakn_bench_fuzz")
    from django.core.management import call_command
    from django.utils import timezone

    from feedback.integrations.keys import issue_api_key

    call_command("seed_demo", "--if-empty", verbosity=0)
    _, key = issue_api_key(
        name=f"fuzz-{int(time.time())}", now=timezone.now(), requests_per_minute=None
    )
    port = free_port()
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "config/gunicorn.py",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=log,
            stderr=log,
        )
        try:
            wait_until_ready(port, server)
            command = [
                str(ROOT / ".venv" / "bin" / "schemathesis"),
                "run",
                f"http://127.0.0.1:{port}/api/v1/schema",
                "--checks",
                "all",
                "--max-examples",
                str(args.examples),
                "--generation-allow-x00",
                "false",
                "--header",
                f"Authorization: Bearer {key}",
                "--no-color",
            ]
            started = time.monotonic()
            try:
                done = subprocess.run(command, cwd=ROOT, timeout=args.max_seconds)
                status = done.returncode
            except subprocess.TimeoutExpired:
                print(f"schemathesis stopped after {args.max_seconds} s")
                status = 2
            print(f"schemathesis ran {time.monotonic() - started:.0f} s, exit {status}")
            log.seek(0)
            errors = [line for line in log if "Traceback" in line or " 500 " in line]
            print(f"gunicorn log: {len(errors)} tracebacks or 500 lines")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    sys.exit(status)


if __name__ == "__main__":
    main()
