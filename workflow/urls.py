from django.urls import path

from workflow import views

app_name = "workflow"
urlpatterns = [
    path("health", views.health, name="health"),
]
