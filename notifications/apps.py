from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Thông báo"

    def ready(self):
        from notifications import checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(_ensure_schedule, sender=self)


def _ensure_schedule(sender, using, apps=None, **kwargs):
    """After every migrate, and after the flush of a transactional test, the
    delivery schedule exists (an admin who deleted it gets it back)."""
    from django.apps import apps as global_apps

    from notifications.tasks import ensure_delivery_schedule

    apps = apps or global_apps  # a flush sends no migration state
    try:
        schedule_model = apps.get_model("django_q", "Schedule")
    except LookupError:  # django_q not migrated in this plan
        return
    ensure_delivery_schedule(schedule_model, using=using)
