"""Response headers that keep private pages private (README "Security")."""

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
