from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Xử lý phản ánh, kiến nghị"

    def ready(self):
        from workflow import signals  # noqa: F401  (connects the receivers)

        post_migrate.connect(_ensure_sweep_schedule, sender=self)


def _ensure_sweep_schedule(sender, apps=None, **kwargs):
    """After every migrate, and the flush of a transactional test, the every-minute
    SLA sweep is scheduled (an admin who deleted it gets it back)."""
    from django.apps import apps as global_apps

    from workflow.schedules import ensure_sweep_schedule

    ensure_sweep_schedule((apps or global_apps).get_model("django_q", "Schedule"))
