"""Who may see a case on the citizen pages: whoever proved the code and secret.

The proof is kept in the session, never the secret, and never in a URL: each
tracking code beside a keyed digest of the secret's stored hash. A code in the
session unlocks that petition only, and only while its secret is the one proved: a
new secret (workflow.services.reissue_secret) is issued because someone else may
hold the old one, so it ends every session that proved the old one. A citizen
logged in with the national identity also sees the petitions that belong to it.
"""

import hmac

from django.conf import settings
from django.http import Http404
from django.utils.crypto import salted_hmac

from workflow.models import Petition
from workflow.privacy.identity import identity_of

SESSION_KEY = "feedback_verified_codes"
# A shared computer should not collect a long list of other people's cases.
MAX_REMEMBERED = 10


def client_ip(request) -> str:
    header = settings.FEEDBACK_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def remember_petition(session, petition: Petition) -> None:
    """The session proved the petition's code and its current secret."""
    kept = [e for e in _proofs(session) if e[0] != petition.tracking_code]
    entry = [petition.tracking_code, _proof_of(petition)]
    session[SESSION_KEY] = [entry, *kept][:MAX_REMEMBERED]


def forget_petition(session, tracking_code: str) -> None:
    session[SESSION_KEY] = [e for e in _proofs(session) if e[0] != tracking_code]


def proved_secret(session, petition: Petition) -> bool:
    """Whether this session proved the petition's secret as it is now."""
    for code, proof in _proofs(session):
        if code == petition.tracking_code:
            return hmac.compare_digest(proof, _proof_of(petition))
    return False


def _proofs(session) -> list[list[str]]:
    # Entries of another shape (sessions from before the digest) prove nothing.
    return [
        entry
        for entry in session.get(SESSION_KEY, [])
        if isinstance(entry, list) and len(entry) == 2
    ]


def _proof_of(petition: Petition) -> str:
    # Keyed, so that the session (whatever stores it) holds nothing from which the
    # stored hash, let alone the secret, could be worked out.
    return salted_hmac("feedback.access.proof", petition.secret_hash).hexdigest()


def petition_for_submitter(request, tracking_code: str) -> Petition:
    """The petition whose code and current secret this session proved, or that
    belongs to the citizen logged in with the national identity; 404 for any other."""
    petitions = Petition.objects.select_related(
        "category", "province", "commune", "agency"
    ).filter(tracking_code=tracking_code)
    petition = petitions.first()
    if petition is not None and proved_secret(request.session, petition):
        return petition
    identity = identity_of(request.user)
    if identity is None:
        raise Http404("No such case in this session")
    petition = petitions.filter(owner__identity=identity).first()
    if petition is None:
        raise Http404("No such case")
    return petition
