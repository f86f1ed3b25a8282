"""Response headers that keep private pages private and pages free of injected code
(README "Security")."""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers


class PrivatePagesMiddleware:
    """Nothing shown to a signed-in person is kept by a browser or a proxy cache.

    Every page and download answered to a signed-in session (staff pages, the admin,
    attachments, CSV exports) goes out with `Cache-Control: no-store, private`, so
    that the back button of a shared computer or a caching proxy does not hand a case
    to the next person. Public pages keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header of a plain response built once.

    django-csp builds the policy anew for every response (a dataclass turned into a
    dict, every directive sorted and joined: 0.07 ms of a web worker's CPU for each
    request of the intake API, bench/intake_http.py), although it can only differ
    when a view changes it (@csp_update and the like mark the response) or a page
    asks for a nonce. So a response with neither gets the headers the library built
    for the settings once; any other goes through the library as before. A change of
    the settings (tests) drops what was built.
    """

    _built: dict = {}  # report_only → header; one per process, for all threads

    def process_response(self, request, response):
        if not _plain(self, request, response):
            return super().process_response(request, response)
        for header, report_only in ((HEADER, False), (HEADER_REPORT_ONLY, True)):
            value = self._built.get(report_only)
            if value is None:
                value = self._built[report_only] = build_policy(report_only=report_only)
            if value and not _excluded(request, report_only):
                response[header] = value
        # As the library does: a nonce asked for after this could not be in the header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _plain(middleware, request, response) -> bool:
    """Whether the library would build this response's headers from the settings
    alone: nothing set for it (read through the library's own get_policy_parts, which
    a subclass may extend), not exempt, no header yet, and not one of the debug pages
    it leaves alone."""
    parts = [
        middleware.get_policy_parts(request, response, report_only=report_only)
        for report_only in (False, True)
    ]
    return (
        all(p == PolicyParts() for p in parts)
        and not hasattr(response, "_csp_exempt")
        and not hasattr(response, "_csp_exempt_ro")
        and HEADER not in response
        and HEADER_REPORT_ONLY not in response
        and not (settings.DEBUG and response.status_code in (404, 500))
    )


def _excluded(request, report_only: bool) -> bool:
    name = "CONTENT_SECURITY_POLICY" + ("_REPORT_ONLY" if report_only else "")
    prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    return bool(prefixes) and request.path_info.startswith(tuple(prefixes))


@receiver(setting_changed)
def _forget_built_policy(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        ContentSecurityPolicyMiddleware._built.clear()
