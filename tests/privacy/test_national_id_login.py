"""The national identity adapter against a real OpenID Connect provider.

node oidc-provider runs on 127.0.0.1 (tests/support/oidc.py) with a key made by
the test: tokens the test signs itself, with another key, for another audience,
expired, are refused against the provider's own JWKS. The login in a browser is
tests/browser/test_national_id.py.
"""

import time

import pytest
from django.core.exceptions import SuspiciousOperation

from feedback.identity import NationalIdentityBackend
from tests.support.oidc import new_key, running_provider


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with running_provider(
        redirect_uris=["http://127.0.0.1:1/login/national-id/callback/"],
        workdir=tmp_path_factory.mktemp("oidc"),
    ) as running:
        yield running


@pytest.fixture
def backend(provider, settings):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return NationalIdentityBackend()


def verify(backend, token, nonce="n-0S6_WzA2Mj"):
    return backend.verify_token(token, nonce=nonce)


def test_the_providers_discovery_names_the_endpoints_the_adapter_uses(provider):
    assert provider.discovery["issuer"] == provider.issuer
    assert provider.issuer.startswith("http://127.0.0.1:")
    assert "S256" in provider.discovery["code_challenge_methods_supported"]


def test_a_token_signed_by_the_provider_is_accepted(provider, backend):
    claims = verify(backend, provider.sign(provider.claims()))
    assert claims["sub"] == "079090001234"


def test_a_token_signed_with_another_key_is_refused(provider, backend):
    # The header names the provider's key; the signature is someone else's.
    forged = provider.sign(provider.claims(), key=new_key())
    with pytest.raises(SuspiciousOperation, match="Signature verification failed"):
        verify(backend, forged)


def test_a_token_for_another_client_is_refused(provider, backend):
    token = provider.sign(provider.claims(aud="another-service"))
    with pytest.raises(SuspiciousOperation, match="(?i)audience"):
        verify(backend, token)


def test_an_expired_token_is_refused(provider, backend):
    past = int(time.time()) - 3600
    token = provider.sign(provider.claims(iat=past - 300, exp=past))
    with pytest.raises(SuspiciousOperation, match="expired"):
        verify(backend, token)


def test_a_token_from_another_issuer_is_refused(provider, backend):
    token = provider.sign(provider.claims(iss="https://impostor.example"))
    with pytest.raises(SuspiciousOperation, match="(?i)issuer"):
        verify(backend, token)


def test_a_token_without_an_expiry_is_refused(provider, backend):
    claims = provider.claims()
    del claims["exp"]
    with pytest.raises(SuspiciousOperation, match="exp"):
        verify(backend, provider.sign(claims))


def test_a_token_signed_with_a_shared_secret_is_refused(provider, backend):
    # HS256 with the client secret would let anyone holding it mint identities.
    token = provider.sign(
        provider.claims(), key="pakn-test-secret" * 3, algorithm="HS256"
    )
    with pytest.raises(SuspiciousOperation):
        verify(backend, token)


def test_a_replayed_token_with_another_nonce_is_refused(provider, backend):
    with pytest.raises(SuspiciousOperation, match="Nonce"):
        verify(backend, provider.sign(provider.claims()), nonce="another")
