from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Phản ánh, kiến nghị của người dân"

    def ready(self):
        from feedback import services
        from workflow.privacy import export, retention

        post_migrate.connect(_ensure_schedules, sender=self)
        # The submitter's files are feedback's: erased and exported from here.
        retention.register_eraser(services.erase_submitter_files)
        export.register_section("attachments", services.attachments_section)
        export.register_section("ratings", services.ratings_section)


def _ensure_schedules(sender, apps=None, **kwargs):
    """After every migrate, and the flush of a transactional test."""
    from django.apps import apps as global_apps

    from feedback.schedules import ensure_feedback_schedules

    ensure_feedback_schedules((apps or global_apps).get_model("django_q", "Schedule"))
