"""The Content-Security-Policy header: built once for plain responses, by
django-csp for any response that changes it (config.security)."""

import pytest
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from config.security import ContentSecurityPolicyMiddleware

HEADER = "Content-Security-Policy"


def _through_middleware(view, path="/"):
    request = RequestFactory().get(path)
    middleware = ContentSecurityPolicyMiddleware(view)
    return middleware(request)


def _plain(request):
    return HttpResponse("ok")


def test_a_plain_response_gets_the_policy_of_the_settings_every_time():
    first = _through_middleware(_plain)
    second = _through_middleware(_plain)

    assert first[HEADER] == second[HEADER] == build_policy()
    assert "frame-ancestors 'none'" in first[HEADER]


def test_a_view_that_widens_the_policy_gets_its_own_header():
    @csp_update({"img-src": "https://tiles.example.vn"})
    def with_tiles(request):
        return HttpResponse("map")

    widened = _through_middleware(with_tiles)[HEADER]
    plain = _through_middleware(_plain)[HEADER]

    assert "https://tiles.example.vn" in widened
    assert "https://tiles.example.vn" not in plain


def test_a_page_that_asks_for_a_nonce_gets_it_in_its_header(settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}
    }

    def with_nonce(request):
        return HttpResponse(
            Template("<script nonce='{{ n }}'></script>").render(
                Context({"n": request.csp_nonce})
            )
        )

    response = _through_middleware(with_nonce)

    nonce = response.content.decode().split("'")[1]
    assert nonce and f"'nonce-{nonce}'" in response[HEADER]
    # django-csp does not fix the order of directives: compare them as a set.
    plain = set(_through_middleware(_plain)[HEADER].split("; "))
    assert plain == {"default-src 'self'", "script-src 'self'"}


def test_an_exempt_view_gets_no_header():
    @csp_exempt()
    def exempt(request):
        return HttpResponse("no policy")

    assert HEADER not in _through_middleware(exempt)


def test_a_change_of_the_settings_changes_the_header(settings):
    before = _through_middleware(_plain)[HEADER]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": ["'self'"]},
        "EXCLUDE_URL_PREFIXES": ["/api/"],
    }

    page = _through_middleware(_plain)
    api = _through_middleware(_plain, path="/api/v1/categories")

    assert page[HEADER] == "default-src 'none'" != before
    assert page["Content-Security-Policy-Report-Only"] == "default-src 'self'"
    assert api[HEADER] == "default-src 'none'"
    assert "Content-Security-Policy-Report-Only" not in api


def test_a_nonce_asked_for_after_the_header_was_written_is_refused():
    request = RequestFactory().get("/")
    ContentSecurityPolicyMiddleware(_plain)(request)

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
