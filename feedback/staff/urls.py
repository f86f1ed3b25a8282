from django.urls import path

from feedback.staff import views

# Inside the feedback namespace (included by feedback.urls), before workflow's
# /work/petitions/<code>/ pages.
urlpatterns = [
    path("work/petitions/new/", views.new_petition, name="staff_intake"),
]
