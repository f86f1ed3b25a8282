from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflow import demo


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of the demo logins (DEBUG only; only "
        "devices paired with the demo key)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp runs only with DEBUG on (a demo server).")
        devices = TOTPDevice.objects.filter(
            key=demo.demo_totp_key(), confirmed=True
        ).select_related("user")
        if not devices:
            raise CommandError("No demo login has the demo key (run seed_demo).")
        first = devices[0]
        totp = TOTP(first.bin_key, first.step, first.t0, first.digits)
        left = first.step - int(totp.time - first.t0) % first.step
        names = ", ".join(sorted(d.user.get_username() for d in devices)[:8])
        self.stdout.write(
            f"{totp.token():0{first.digits}d}  (valid {left} s more; "
            f"{len(devices)} demo logins: {names}…)"
        )
