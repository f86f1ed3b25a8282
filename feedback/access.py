"""Who may see a case on the citizen pages: whoever proved the code and secret.

The proof is kept in the session (a list of tracking codes), never the secret, and
never in a URL. A code in the session unlocks that petition only. A citizen logged
in with the national identity also sees the petitions that belong to it.
"""

from django.conf import settings
from django.http import Http404

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


def remember_petition(session, tracking_code: str) -> None:
    codes = [c for c in session.get(SESSION_KEY, []) if c != tracking_code]
    session[SESSION_KEY] = [tracking_code, *codes][:MAX_REMEMBERED]


def forget_petition(session, tracking_code: str) -> None:
    session[SESSION_KEY] = [
        c for c in session.get(SESSION_KEY, []) if c != tracking_code
    ]


def petition_for_submitter(request, tracking_code: str) -> Petition:
    """The petition whose code this session proved, or that belongs to the citizen
    logged in with the national identity; 404 for any other."""
    petitions = Petition.objects.select_related(
        "category", "province", "commune", "agency"
    ).filter(tracking_code=tracking_code)
    if tracking_code not in request.session.get(SESSION_KEY, []):
        identity = identity_of(request.user)
        if identity is None:
            raise Http404("No such case in this session")
        petitions = petitions.filter(owner__identity=identity)
    petition = petitions.first()
    if petition is None:
        raise Http404("No such case")
    return petition
