from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PrivacyConfig(AppConfig):
    name = "workflow.privacy"
    label = "privacy"
    verbose_name = "Bảo vệ dữ liệu cá nhân"

    def ready(self):
        post_migrate.connect(_ensure_schedules, sender=self)


def _ensure_schedules(sender, apps=None, **kwargs):
    """After every migrate, and the flush of a transactional test, the request
    sweep and the retention run are scheduled and the default rows exist."""
    from django.apps import apps as global_apps

    from workflow.privacy.defaults import ensure_defaults
    from workflow.privacy.schedules import ensure_privacy_schedules

    apps = apps or global_apps
    ensure_defaults(apps)
    ensure_privacy_schedules(apps.get_model("django_q", "Schedule"))
