from django.contrib import admin
from django.urls import include, path

from config import health, metrics

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("workflow.staff_login.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("feedback.integrations.urls")),
    path("", include("feedback.urls")),
    path("", include("feedback.mailbox.urls")),
    path("", include("workflow.urls")),
    path("", include("workflow.privacy.urls")),
]
