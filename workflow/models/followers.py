"""Citizens who follow a petition they did not file ("theo dõi"), to hear its answer."""

from django.db import models

from workflow.models.petitions import Petition


class Follower(models.Model):
    """Someone told of a petition's answer instead of filing the same one again.

    A contact only: a follower sees nothing of the petition beyond what /answers/
    could show, and the petition's submitter sees nothing of its followers.
    """

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="followers"
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=5, default="vi")
    followed_at = models.DateTimeField()

    class Meta:
        constraints = [
            # workflow.services.followers.follow_petition: following twice is once.
            models.UniqueConstraint(
                fields=["petition", "email", "phone"], name="follow_once_per_contact"
            ),
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""), name="follower_has_a_contact"
            ),
        ]

    def __str__(self):
        return f"{self.petition_id}: {self.email or self.phone}"
