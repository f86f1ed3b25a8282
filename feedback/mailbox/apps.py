from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "feedback.mailbox"
    label = "mailbox"
    verbose_name = "Thư điện tử đến"
