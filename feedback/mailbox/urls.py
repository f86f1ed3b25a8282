from django.urls import path

from feedback.mailbox import views

app_name = "mailbox"
urlpatterns = [
    path("work/mailbox/", views.drafts, name="drafts"),
    path("work/mailbox/<int:pk>/", views.draft, name="draft"),
    path("work/mailbox/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("work/mailbox/<int:pk>/reject/", views.reject, name="reject"),
    path("work/mailbox/<int:pk>/message.eml", views.raw, name="raw"),
]
