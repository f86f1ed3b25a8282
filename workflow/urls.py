from django.urls import path

from workflow import views
from workflow.documents import views as document_views
from workflow.proof import views as proof_views
from workflow.reports import views as reports

app_name = "workflow"
urlpatterns = [
    path("work/", views.staff_home, name="home"),
    path("work/queue/", views.queue, name="queue"),
    path("work/queue/assign/", views.bulk_assign, name="bulk_assign"),
    path("work/dashboard/", views.dashboard, name="dashboard"),
    path("work/petitions/<str:tracking_code>/", views.case, name="case"),
    path(
        "work/petitions/<str:tracking_code>/receipt/",
        document_views.receipt,
        name="receipt",
    ),
    path(
        "work/petitions/<str:tracking_code>/receipt.pdf",
        document_views.receipt_pdf,
        name="receipt_pdf",
    ),
    path(
        "work/petitions/<str:tracking_code>/receipt/sms/",
        document_views.send_receipt,
        name="send_receipt",
    ),
    path(
        "work/petitions/<str:tracking_code>/receipt/new-secret/",
        document_views.reissue_secret,
        name="reissue_secret",
    ),
    path(
        "work/petitions/<str:tracking_code>/letters/<int:pk>/",
        document_views.letter,
        name="letter",
    ),
    path(
        "work/petitions/<str:tracking_code>/letters/<int:pk>.pdf",
        document_views.letter_pdf,
        name="letter_pdf",
    ),
    path("work/letters/", document_views.letters_to_post, name="letters_to_post"),
    # Before `act`, whose slug would take "answer-document" for an action.
    path(
        "work/petitions/<str:tracking_code>/answer-document/",
        document_views.answer_print,
        name="answer_print",
    ),
    path(
        "work/petitions/<str:tracking_code>/answer-document.pdf",
        document_views.answer_pdf,
        name="answer_pdf",
    ),
    path("work/petitions/<str:tracking_code>/<slug:action>/", views.act, name="act"),
    path("audit/", reports.report, name="report"),
    path("audit/report.xlsx", reports.report_xlsx, name="report_xlsx"),
    path("audit/report-<slug:table>.csv", reports.report_csv, name="report_csv"),
    path("audit/periods/close/", reports.close_period, name="close_period"),
    path("audit/petitions/", reports.drill_down, name="drill_down"),
    # Public: the published checkpoints and the proof checker (docs/audit.md).
    path("audit/checkpoints/", proof_views.checkpoints, name="checkpoints"),
    path(
        "audit/checkpoints/<int:number>/",
        proof_views.checkpoint,
        name="checkpoint",
    ),
    path("audit/verify/", proof_views.verify_proof, name="verify_proof"),
    path(
        "audit/verify/verify_proof.py",
        proof_views.verifier_program,
        name="verifier_program",
    ),
    path("audit/backdated/", reports.backdated, name="backdated"),
    path("audit/petitions/<str:tracking_code>/", reports.audit_case, name="audit_case"),
    # Public: each agency's and province's figures per month.
    path("stats/", reports.public_stats, name="stats"),
    path(
        "stats/<slug:dimension>/<str:key>/",
        reports.public_unit_stats,
        name="unit_stats",
    ),
]
