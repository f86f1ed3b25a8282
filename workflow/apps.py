from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Xử lý phản ánh, kiến nghị"

    def ready(self):
        from notifications.rendering import provide_petition_facts
        from workflow import checks, signals  # noqa: F401  (receivers, checks)
        from workflow.messages import petition_facts

        # Messages read their petition when sent; notifications cannot import it.
        provide_petition_facts(petition_facts)

        post_migrate.connect(_ensure_sweep_schedule, sender=self)
        post_migrate.connect(_install_report_figures, sender=self)


def _ensure_sweep_schedule(sender, apps=None, **kwargs):
    """After every migrate, and the flush of a transactional test, the every-minute
    SLA sweep and the daily checkpoint are scheduled (an admin who deleted one gets
    it back)."""
    from django.apps import apps as global_apps
    from django.conf import settings
    from django.utils import timezone

    from workflow.schedules import ensure_checkpoint_schedule, ensure_sweep_schedule

    schedule_model = (apps or global_apps).get_model("django_q", "Schedule")
    ensure_sweep_schedule(schedule_model)
    ensure_checkpoint_schedule(
        schedule_model, now=timezone.now(), at=settings.AUDIT_CHECKPOINT_TIME
    )


def _install_report_figures(sender, using="default", **kwargs):
    """After every migrate (and a test's flush): the history trigger that keeps the
    auditor figures is the one workflow.reports.rules defines, and the working-day
    numbers follow the national calendar."""
    from django.db import connections

    from workflow.reports import calendar, rules

    with connections[using].cursor() as cursor:
        rules.install_trigger(cursor)
    calendar.sync_working_days()
