"""A real OpenID Connect provider for tests: node oidc-provider on a free port.

tests/oidc/ pins it (package.json, package-lock.json); the first use installs it
with `npm ci`. The signing key is made here, so that tests can sign tokens of
their own (another key, another audience, an expired one) and check that the
adapter refuses them against the provider's own JWKS.
"""

import json
import os
import select
import shutil
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc"
CLIENT_ID = "pakn-test"
CLIENT_SECRET = "pakn-test-secret"
KID = "pakn-test-key"
START_TIMEOUT = 30  # seconds


def _unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the OpenID Connect tests", pytrace=False)
    pytest.skip(reason)


def _ensure_installed() -> str:
    node = shutil.which("node")
    if node is None:
        _unavailable("node is missing (apt-get install nodejs npm)")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("npm is missing (apt-get install npm)")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=PROVIDER_DIR,
            check=True,
            timeout=300,
        )
    return node


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Provider:
    issuer: str
    key: object  # the provider's private signing key
    discovery: dict

    def settings(self, **extra) -> dict:
        """The adapter's settings for this provider (config.settings names)."""
        return {
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.discovery["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": self.discovery["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.discovery["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.discovery["jwks_uri"],
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SIGN_ALGO": "RS256",
            **extra,
        }

    def sign(self, claims: dict, *, key=None, kid=KID, algorithm="RS256") -> str:
        """A token as the provider would sign it, or with another key."""
        return jwt.encode(
            claims, key or self.key, algorithm=algorithm, headers={"kid": kid}
        )

    def claims(self, **overrides) -> dict:
        """The claims of a valid ID token for the test client, now."""
        now = int(time.time())
        return {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "079090001234",
            "iat": now,
            "exp": now + 300,
            "nonce": "n-0S6_WzA2Mj",
            **overrides,
        }


@contextmanager
def running_provider(*, redirect_uris, accounts=None, workdir):
    """Start the provider, yield it, always stop it."""
    node = _ensure_installed()
    key = new_key()
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key, as_dict=True)
    jwk.update(kid=KID, alg="RS256", use="sig")
    config = Path(workdir) / "oidc-provider.json"
    config.write_text(
        json.dumps(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
                "jwk": jwk,
                "accounts": accounts or {},
            }
        )
    )
    log = open(Path(workdir) / "oidc-provider.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [node, str(PROVIDER_DIR / "provider.mjs"), str(config)],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        issuer = _wait_until_ready(process, log.name)
        with urllib.request.urlopen(
            f"{issuer}/.well-known/openid-configuration", timeout=5
        ) as response:
            discovery = json.load(response)
        yield Provider(issuer=issuer, key=key, discovery=discovery)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_ready(process, log_name) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if line.startswith("READY "):
                return line.split(" ", 1)[1].strip()
        if process.poll() is not None:
            break
    raise RuntimeError(
        f"The OpenID Connect provider did not start: {Path(log_name).read_text()}"
    )
