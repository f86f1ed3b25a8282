from django.urls import path

from feedback import downloads, views
from feedback.staff import urls as staff_urls

app_name = "feedback"
urlpatterns = [
    path("", views.home, name="home"),
    path("communes/", views.communes, name="communes"),
    path("track/", views.track, name="track"),
    path("track/forgot/", views.recover, name="recover"),
    path("track/forgot/confirm/", views.recover_confirm, name="recover_confirm"),
    path("track/<str:code>/", views.case, name="case"),
    path("track/<str:code>/forget/", views.forget, name="forget"),
    path(
        "track/<str:code>/attachments/<int:pk>/",
        downloads.submitter_attachment,
        {"how": "download"},
        name="attachment",
    ),
    path(
        "track/<str:code>/attachments/<int:pk>/<slug:how>/",
        downloads.submitter_attachment,
        name="attachment",
    ),
    path("track/<str:code>/proof.json", views.proof, name="proof"),
    path("track/<str:code>/answer.pdf", views.signed_answer, name="signed_answer"),
    path("track/<str:code>/<slug:action>/", views.case_action, name="case_action"),
    path("answers/", views.answers, name="answers"),
    path("answers/<str:code>/", views.published_answer, name="published_answer"),
    # On the staff case page (workflow's /work/petitions/<code>/).
    path(
        "work/petitions/<str:tracking_code>/attachments/<int:pk>/",
        downloads.staff_attachment,
        {"how": "download"},
        name="staff_attachment",
    ),
    path(
        "work/petitions/<str:tracking_code>/attachments/<int:pk>/<slug:how>/",
        downloads.staff_attachment,
        name="staff_attachment",
    ),
    *staff_urls.urlpatterns,
]
