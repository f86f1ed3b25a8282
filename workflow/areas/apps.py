from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "workflow.areas"
    label = "areas"
    verbose_name = "Đơn vị hành chính"
