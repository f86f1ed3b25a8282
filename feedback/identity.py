"""Login with the national identity: an OpenID Connect adapter (mozilla-django-oidc).

Why mozilla-django-oidc rather than django-allauth: it does one thing, the
authorization-code flow (with PKCE) for a relying party, and leaves the user to us.
allauth brings accounts, e-mail addresses and sign-up forms a citizen needs none
of, and stores every claim of the provider with the subject in clear; here only a
keyed pseudonym of issuer and subject is stored (workflow.privacy.identity).

The library checks the ID token's signature against the provider's JWKS and the
nonce, not its audience or issuer: `validate_id_token` adds them, with the expiry
and the claims required, through PyJWT. A citizen logged in this way holds no
staff role, so every staff page answers 404 (workflow.access.staff_actor).
"""

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from workflow.privacy.identity import citizen_for_login

# Where the claims that prefill the petition form wait, for this session only.
PREFILL_SESSION_KEY = "national_id_prefill"
# Clock difference tolerated between the provider and this server, in seconds.
LEEWAY_SECONDS = 60


def is_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


def validate_id_token(token: str, key) -> dict:
    """The claims of an ID token whose signature, issuer, audience and times hold.

    OpenID Connect Core 1.0 §3.1.3.7: the issuer must be the provider's, the
    audience must contain our client id, the token must not have expired; `sub`,
    `iat` and `exp` are required. Anything else raises SuspiciousOperation.
    """
    try:
        return jwt.decode(
            token,
            key,
            algorithms=[settings.OIDC_RP_SIGN_ALGO],
            audience=settings.OIDC_RP_CLIENT_ID,
            issuer=settings.OIDC_OP_ISSUER or None,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "sub", "iat", "exp"]},
        )
    except jwt.PyJWTError as error:
        raise SuspiciousOperation(f"ID token refused: {error}") from None


class NationalIdentityBackend(OIDCAuthenticationBackend):
    """Citizens from the identity provider; never a staff account."""

    def get_payload_data(self, token, key):
        header = jwt.get_unverified_header(token)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(
                f"ID token algorithm {header.get('alg')!r} is not "
                f"{self.OIDC_RP_SIGN_ALGO!r}."
            )
        return validate_id_token(token, key)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core §5.3.4: the userinfo must be about the same subject.
        if claims.get("sub") != payload["sub"]:
            raise SuspiciousOperation("The userinfo subject differs from the token's.")
        user = citizen_for_login(
            issuer=payload["iss"], subject=payload["sub"], now=timezone.now()
        )
        user.national_id_prefill = {
            name: str(claims[name])[:200]
            for name in settings.NATIONAL_ID_PREFILL_CLAIMS
            if claims.get(name)
        }
        return user

    def authenticate(self, request, **kwargs):
        if not is_enabled():
            return None
        return super().authenticate(request, **kwargs)


class LoginView(OIDCAuthenticationRequestView):
    """Off (404) until the provider is configured."""

    def dispatch(self, request, *args, **kwargs):
        if not is_enabled():
            raise Http404("Login with the national identity is not configured")
        return super().dispatch(request, *args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):
    def dispatch(self, request, *args, **kwargs):
        if not is_enabled():
            raise Http404("Login with the national identity is not configured")
        return super().dispatch(request, *args, **kwargs)

    def login_success(self):
        response = super().login_success()
        # After login(): a session that belonged to someone else was emptied.
        self.request.session[PREFILL_SESSION_KEY] = getattr(
            self.user, "national_id_prefill", {}
        )
        return response


def prefill(request) -> dict | None:
    """The petition form's first values for a citizen logged in with the national
    identity: the claims the provider gave (NATIONAL_ID_PREFILL_CLAIMS)."""
    claims = request.session.get(PREFILL_SESSION_KEY) or {}
    initial = {
        "submitter_name": claims.get("name", ""),
        "email": claims.get("email", ""),
        "phone": claims.get("phone_number", ""),
    }
    return {k: v for k, v in initial.items() if v} or None
