from django.urls import path, re_path

from feedback.integrations import api, open311

app_name = "integrations"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("api/v1/petitions", api.petitions, name="api-petitions"),
    path("api/v1/petitions/<str:tracking_code>", api.petition, name="api-petition"),
    path("api/v1/schema", api.schema, name="api-schema"),
    path("api/v1/categories", api.categories, name="api-categories"),
    path("api/v1/provinces", api.provinces, name="api-provinces"),
    path(
        "api/v1/provinces/<str:province>/communes",
        api.communes,
        name="api-communes",
    ),
    re_path(
        r"^open311/v2/discovery" + FMT, open311.discovery, name="open311-discovery"
    ),
    re_path(
        r"^open311/v2/services" + FMT, open311.service_list, name="open311-services"
    ),
    re_path(
        r"^open311/v2/services/(?P<code>[-\w]+)" + FMT,
        open311.service_definition,
        name="open311-service",
    ),
    re_path(
        r"^open311/v2/requests" + FMT, open311.service_requests, name="open311-requests"
    ),
    re_path(
        r"^open311/v2/requests/(?P<service_request_id>\w+)" + FMT,
        open311.service_request,
        name="open311-request",
    ),
    re_path(
        r"^open311/v2/tokens/(?P<token>[^/]+?)" + FMT,
        open311.token,
        name="open311-token",
    ),
    # An unknown path under /api/ or /open311/ is answered in the door's format by
    # config.errors.not_found (handler404), as is any Http404 a door's view raises.
]
