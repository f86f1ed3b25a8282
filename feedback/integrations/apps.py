from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "feedback.integrations"
    label = "integrations"
    verbose_name = "Kết nối hệ thống (API, Open311)"
