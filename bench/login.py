"""Benchmark: where a staff login's time goes, served by gunicorn with DEBUG=false.

    .venv/bin/python bench/login.py [--logins 8]

Uses its own database (`pakn_bench_login`, see common.py): creates `--logins`
supervisors, each with a password hashed by the production hasher and a confirmed
TOTP device (one login per device: a code is good once). Starts gunicorn with the
production settings (config/gunicorn.py, HTTPS=false for plain HTTP on the
loopback) on a free port of 127.0.0.1 and, for each user, times the four requests
of a login as a browser makes them: the login page, the password, the second
factor and the landing page. Prints the median of each step and of the whole
login, and the cost of one password check in this process (the hasher's share).
"""

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlparse

from common import ROOT, use_bench_database
from intake_http import free_port, wait_until_ready

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("LOG_LEVEL", "WARNING")

PASSWORD = "bench-login-password-2026"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One keep-alive connection and its cookies, as one browser tab."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1{path}"
        start = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return elapsed, response.status, response.getheader("Location"), content

    def form_token(self, content):
        return CSRF.search(content).group(1).decode()


def prepare(count, role, demo_petitions):
    """`count` logins of `role`, at the agency holding the most petitions."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from workflow import demo
    from workflow.models import Agency, Membership, Role

    if demo_petitions and not demo.is_seeded():
        demo.seed_reference_data()
        demo.seed_petitions(count=demo_petitions)
    agency = (
        Agency.objects.annotate(load=Count("petitions")).order_by("-load", "pk").first()
    ) or Agency.objects.create(code="bench-login", name="Bench login agency")
    agency_bound = role in (Role.HANDLER, Role.SUPERVISOR)
    users = []
    model = get_user_model()
    for index in range(count):
        name = f"bench_login_{time.time_ns()}_{index}"
        user = model.objects.create_user(name, password=PASSWORD)
        Membership.objects.create(
            user=user, agency=agency if agency_bound else None, role=role
        )
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        users.append((name, device))
    return users


def code_of(device):
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def follow(browser, location):
    """GET redirects until a page answers; returns (seconds, path, status, body)."""
    total = 0.0
    while True:
        target = urlparse(location)
        path = target.path + (f"?{target.query}" if target.query else "")
        elapsed, status, location, content = browser.request("GET", path)
        total += elapsed
        if status not in (301, 302):
            return total, path, status, content


def login(port, username, device):
    browser = Browser(port)
    steps = {}
    steps["login page"], _, _, page = browser.request("GET", "/accounts/login/")
    form = {
        "csrfmiddlewaretoken": browser.form_token(page),
        "username": username,
        "password": PASSWORD,
        "next": "/work/",
    }
    elapsed, status, location, _ = browser.request("POST", "/accounts/login/", form)
    if status != 302:
        raise SystemExit(f"password step answered {status}")
    # The second step's page comes through the redirects after the password.
    more, path, status, page = follow(browser, location)
    steps["password"] = elapsed + more
    if "/accounts/two-factor/" not in path:
        raise SystemExit(f"expected the second factor, got {path} ({status})")
    form = {"csrfmiddlewaretoken": browser.form_token(page), "code": code_of(device)}
    steps["code"], status, location, _ = browser.request("POST", path, form)
    if status != 302:
        raise SystemExit(f"code step answered {status}")
    steps["landing page"], path, status, _ = follow(browser, location)
    if status != 200:
        raise SystemExit(f"landing page {path} answered {status}")
    return steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=8)
    parser.add_argument(
        "--role", default="supervisor", choices=["handler", "supervisor", "auditor"]
    )
    parser.add_argument(
        "--demo-petitions",
        type=int,
        default=300,
        help="seed the demo (as make run does) with this many petitions first",
    )
    args = parser.parse_args()
    use_bench_database("pakn_bench_login")
    from django.contrib.auth.hashers import check_password, get_hasher, make_password
    from django.db import connections

    users = prepare(args.logins + 1, args.role, args.demo_petitions)
    encoded = make_password(PASSWORD)
    hash_times = []
    for _ in range(3):
        start = time.perf_counter()
        check_password(PASSWORD, encoded)
        hash_times.append(time.perf_counter() - start)
    connections.close_all()

    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "config/gunicorn.py",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=log,
            env=os.environ.copy(),
        )
        try:
            wait_until_ready(port, server)
            login(port, *users[0])  # warm up: workers load templates and caches
            runs = [login(port, *user) for user in users[1:]]
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    summary = get_hasher().safe_summary(encoded)
    print(
        "hasher: "
        + ", ".join(f"{k} {v}" for k, v in summary.items() if k not in ("hash", "salt"))
    )
    print(
        "one password check in this process: "
        f"{statistics.median(hash_times) * 1000:.0f} ms"
    )
    print(f"{len(runs)} logins as {args.role}, median per step (ms):")
    for step in runs[0]:
        print(f"  {step:<13} {statistics.median(r[step] for r in runs) * 1000:7.0f}")
    totals = [sum(r.values()) for r in runs]
    print(
        f"  {'whole login':<13} {statistics.median(totals) * 1000:7.0f}"
        f"  (min {min(totals) * 1000:.0f}, max {max(totals) * 1000:.0f})"
    )


if __name__ == "__main__":
    main()
