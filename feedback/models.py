from django.db import models


class RateLimitCounter(models.Model):
    """Requests counted per key and fixed time window (see feedback.ratelimit).

    Kept in PostgreSQL so that every web worker on every machine shares one count.
    """

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # feedback.ratelimit.hit() upserts on this pair.
            models.UniqueConstraint(
                fields=["key", "window_start"], name="one_count_per_window"
            ),
        ]
        indexes = [
            # feedback.ratelimit.forget_old_windows() deletes by age.
            models.Index(fields=["window_start"], name="ratelimit_window_idx"),
        ]

    def __str__(self):
        return f"{self.key} @ {self.window_start}: {self.count}"
