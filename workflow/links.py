"""Where a page sends its user next: the `next` address the request carries when it
is on this site (never another host: no open redirect), else a default."""

from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, default: str) -> str:
    """Where to go after a page, from its `next`: a path of this site, or `default`.

    Only a path: Django's `redirect()` reads a bare word ("abc", "queue") as the
    name of a URL pattern and raises NoReverseMatch, a 500 after the step it
    follows was saved; and our pages only ever send their own path."""
    target = request.POST.get("next") or request.GET.get("next")
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
    ):
        return target
    return default
