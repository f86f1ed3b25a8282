from django.urls import path

from feedback import downloads, identity, personal_data, views
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
    # Before case_action, whose pattern would take "answer-document" for an action.
    path("track/<str:code>/answer-document/", views.answer_print, name="answer_print"),
    path("track/<str:code>/answer-document/pdf/", views.answer_pdf, name="answer_pdf"),
    # Before case_action, whose pattern would take "data" for an action.
    path(
        "track/<str:code>/data/",
        personal_data.data_requests_page,
        name="data_requests",
    ),
    path(
        "track/<str:code>/data/<str:request_code>/",
        personal_data.data_request_page,
        name="data_request",
    ),
    path(
        "track/<str:code>/data/<str:request_code>/export.<str:fmt>",
        personal_data.data_export,
        name="data_export",
    ),
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
    # Before the next pattern, whose slug would take "sensitive" for a way to open.
    path(
        "work/petitions/<str:tracking_code>/attachments/<int:pk>/sensitive/",
        downloads.staff_mark_sensitive,
        name="staff_mark_sensitive",
    ),
    path(
        "work/petitions/<str:tracking_code>/attachments/<int:pk>/<slug:how>/",
        downloads.staff_attachment,
        name="staff_attachment",
    ),
    *staff_urls.urlpatterns,
    # Hồ sơ của tôi: a citizen logged in with the national identity.
    path("mine/", personal_data.mine, name="mine"),
    path("mine/attach/", personal_data.attach, name="attach"),
    path("mine/data/", personal_data.my_data_requests_page, name="my_data_requests"),
    path(
        "mine/data/<str:request_code>/",
        personal_data.my_data_request_page,
        name="my_data_request",
    ),
    path(
        "mine/data/<str:request_code>/export.<str:fmt>",
        personal_data.my_data_export,
        name="my_data_export",
    ),
    path("login/national-id/", identity.LoginView.as_view(), name="national_id_login"),
    path(
        "login/national-id/callback/",
        identity.CallbackView.as_view(),
        name="national_id_callback",
    ),
]
