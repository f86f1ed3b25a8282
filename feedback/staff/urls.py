from django.urls import path

from feedback.staff import publication, replies, views

# Inside the feedback namespace (included by feedback.urls), before workflow's
# /work/petitions/<code>/ pages.
urlpatterns = [
    path("work/petitions/new/", views.new_petition, name="staff_intake"),
    path(
        "work/petitions/<str:tracking_code>/reply-document/",
        replies.attach_reply,
        name="attach_reply",
    ),
    path("work/publication/", publication.review_list, name="publication_list"),
    path(
        "work/publication/<str:tracking_code>/", publication.review, name="publication"
    ),
    path(
        "work/publication/<str:tracking_code>/decline/",
        publication.decline,
        name="decline_publication",
    ),
]
