from django.urls import path

from workflow import views

app_name = "workflow"
urlpatterns = [
    path("health", views.health, name="health"),
    path("work/", views.staff_home, name="home"),
    path("work/queue/", views.queue, name="queue"),
    path("work/queue/assign/", views.bulk_assign, name="bulk_assign"),
    path("work/dashboard/", views.dashboard, name="dashboard"),
    path("work/petitions/<str:tracking_code>/", views.case, name="case"),
    path(
        "work/petitions/<str:tracking_code>/attachments/<int:pk>/",
        views.attachment,
        name="attachment",
    ),
    path("work/petitions/<str:tracking_code>/<slug:action>/", views.act, name="act"),
    path("audit/", views.report, name="report"),
    path("audit/report-<slug:table>.csv", views.report_csv, name="report_csv"),
    path("audit/petitions/", views.drill_down, name="drill_down"),
    path("audit/petitions/<str:tracking_code>/", views.audit_case, name="audit_case"),
]
