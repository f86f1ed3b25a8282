from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Xử lý phản ánh, kiến nghị"

    def ready(self):
        from workflow import signals  # noqa: F401  (connects the receivers)
