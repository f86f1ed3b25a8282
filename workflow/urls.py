from django.urls import path

from workflow import views
from workflow.proof import views as proof_views

app_name = "workflow"
urlpatterns = [
    path("work/", views.staff_home, name="home"),
    path("work/queue/", views.queue, name="queue"),
    path("work/queue/assign/", views.bulk_assign, name="bulk_assign"),
    path("work/dashboard/", views.dashboard, name="dashboard"),
    path("work/petitions/<str:tracking_code>/", views.case, name="case"),
    path("work/petitions/<str:tracking_code>/<slug:action>/", views.act, name="act"),
    path("audit/", views.report, name="report"),
    path("audit/report-<slug:table>.csv", views.report_csv, name="report_csv"),
    path("audit/petitions/", views.drill_down, name="drill_down"),
    # Public: the published checkpoints and the proof checker (docs/audit.md).
    path("audit/checkpoints/", proof_views.checkpoints, name="checkpoints"),
    path(
        "audit/checkpoints/<int:number>/",
        proof_views.checkpoint,
        name="checkpoint",
    ),
    path("audit/verify/", proof_views.verify_proof, name="verify_proof"),
    path("audit/petitions/<str:tracking_code>/", views.audit_case, name="audit_case"),
]
