"""Public proof pages: the published checkpoints (JSON) and the proof checker."""

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from workflow.codes import MAX_ID, parse_number
from workflow.proof.checkpoints import published, published_page

CHECKPOINTS_PER_PAGE = 100


@require_GET
def checkpoints(request):
    given_before = request.GET.get("before", "")
    before = parse_number(given_before, maximum=MAX_ID)
    if given_before and before is None:
        return JsonResponse({"error": "before must be a checkpoint number"}, status=400)
    limit = parse_number(
        request.GET.get("limit", str(CHECKPOINTS_PER_PAGE)),
        maximum=CHECKPOINTS_PER_PAGE,
    )
    if limit is None:
        return JsonResponse(
            {"error": f"limit must be 1 to {CHECKPOINTS_PER_PAGE}"}, status=400
        )
    rows, more = published_page(before=before, limit=limit)
    body = {
        "checkpoints": [published(c, url=_url(request, c)) for c in rows],
        "next": (
            f"{request.build_absolute_uri(reverse('workflow:checkpoints'))}"
            f"?before={rows[-1].number}&limit={limit}"
            if more
            else None
        ),
    }
    return _public(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))


@require_GET
def checkpoint(request, number):
    rows, _more = published_page(before=number + 1, limit=1)
    if not rows or rows[0].number != number:
        raise Http404("No such checkpoint")
    body = published(rows[0], url=_url(request, rows[0]))
    return _public(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))


@require_GET
def verify_proof(request):
    return render(request, "workflow/verify_proof.html")


# The stand-alone checker (Python's standard library and `cryptography`): served
# as the repository holds it, so that whoever does not trust the checking page can
# read what they run, and compare it with the published source.
VERIFIER = settings.BASE_DIR / "docs" / "verify_proof.py"


@require_GET
def verifier_program(request):
    response = FileResponse(
        VERIFIER.open("rb"),
        as_attachment=True,
        filename="verify_proof.py",
        content_type="text/x-python; charset=utf-8",
    )
    return _public(response)


def _url(request, checkpoint):
    return request.build_absolute_uri(
        reverse("workflow:checkpoint", args=[checkpoint.number])
    )


def _public(response):
    patch_cache_control(response, public=True, max_age=300)
    return response
