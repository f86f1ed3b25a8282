from django.urls import path

from workflow.staff_login import views

app_name = "staff_login"
urlpatterns = [
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/setup/", views.enrol, name="enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
