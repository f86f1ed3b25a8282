from django.urls import path

from workflow.privacy import views

app_name = "privacy"
urlpatterns = [
    path("work/privacy/", views.queue, name="queue"),
    path("work/privacy/<str:code>/", views.request_page, name="request"),
    path("work/privacy/<str:code>/<slug:action>/", views.act, name="act"),
    path("audit/reads/", views.staff_reads, name="reads"),
]
