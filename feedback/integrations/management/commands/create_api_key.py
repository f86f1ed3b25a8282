"""`manage.py create_api_key NAME`: issue a key for an integration, printed once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.integrations.keys import issue_api_key
from feedback.integrations.models import DEFAULT_REQUESTS_PER_MINUTE, ApiKey


class Command(BaseCommand):
    help = "Create an API key for an integration; the key is printed once only."

    def add_arguments(self, parser):
        parser.add_argument("name", help="who the key is for, e.g. cong-dvc-quoc-gia")
        parser.add_argument(
            "--requests-per-minute",
            type=int,
            default=None,
            help=f"rate limit of the key (default {DEFAULT_REQUESTS_PER_MINUTE})",
        )
        parser.add_argument(
            "--unlimited", action="store_true", help="no rate limit for this key"
        )
        parser.add_argument(
            "--integration",
            default=None,
            help="the integration the key reads and files for (default: NAME; "
            "give an existing one for a second key, e.g. before retiring the first)",
        )

    def handle(
        self, *args, name, requests_per_minute, unlimited, integration, **options
    ):
        name = name.strip()
        if not name:
            raise CommandError("Give the integration a name.")
        if ApiKey.objects.filter(name=name).exists():
            raise CommandError(f"A key named {name!r} exists already.")
        if requests_per_minute is not None and requests_per_minute < 1:
            raise CommandError("--requests-per-minute must be at least 1.")
        if unlimited:
            requests_per_minute = None
        elif requests_per_minute is None:
            requests_per_minute = DEFAULT_REQUESTS_PER_MINUTE
        api_key, key = issue_api_key(
            name=name,
            requests_per_minute=requests_per_minute,
            integration=integration,
            now=timezone.now(),
        )
        # The key alone on stdout (for scripts); the explanation on stderr.
        self.stderr.write(
            f"API key {api_key.name} of integration {api_key.integration} (prefix "
            f"{api_key.prefix}); it is shown only now, store it safely:"
        )
        self.stdout.write(key)
