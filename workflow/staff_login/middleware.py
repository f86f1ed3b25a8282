"""A session that owes its second factor reaches only the steps that settle it."""

from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve, reverse

from workflow.staff_login.policy import missing_step

# Pages open before the second step: the steps themselves, signing in as someone
# else, signing out, and the language switch.
OPEN_URL_NAMES = {"login", "logout", "set_language"}
OPEN_NAMESPACE = "staff_login"


class SecondFactorMiddleware:
    """Send a half-signed-in session to the verification (or enrolment) page.

    Applies to every URL, so that a page added later is covered without a list to
    keep: staff pages, the admin and the citizen pages alike (the last ones would
    show nothing private, but a session in between is not treated as signed in).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = missing_step(request.user)
        if step is not None and not _is_open(request.path_info):
            return redirect_to_login(
                request.get_full_path(), reverse(f"{OPEN_NAMESPACE}:{step}")
            )
        return self.get_response(request)


def _is_open(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.namespace == OPEN_NAMESPACE or match.url_name in OPEN_URL_NAMES
