from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import health, metrics

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    # Django's login, logout and password change, but not its password reset: a
    # link mailed to whoever asks would let anyone who reads a handler's mailbox
    # (handlers' second factor is optional) set their password, and would mail
    # staff addresses without limit. A forgotten staff password is reset by an
    # admin (docs/staff.md, "Staff accounts").
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/", include("workflow.staff_login.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("feedback.integrations.urls")),
    path("", include("feedback.urls")),
    path("", include("feedback.mailbox.urls")),
    path("", include("workflow.urls")),
    path("", include("workflow.privacy.urls")),
]
