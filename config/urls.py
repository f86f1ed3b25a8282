from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("workflow.staff_login.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("feedback.integrations.urls")),
    path("", include("feedback.urls")),
    path("", include("workflow.urls")),
]
