from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from workflow import demo
from workflow.proof.checkpoints import take_checkpoint


class Command(BaseCommand):
    help = "Load demo agencies, categories, routing rules, logins and petitions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when demo data is already loaded.",
        )
        parser.add_argument("--petitions", type=int, default=300)

    def handle(self, *args, if_empty, petitions, **options):
        if demo.is_seeded():
            if if_empty:
                self.stdout.write("Demo data already loaded.")
                return
            raise CommandError("Demo data is already loaded (use --if-empty to skip).")
        with transaction.atomic():
            demo.seed_reference_data()
            demo.seed_petitions(count=petitions)
        # A first checkpoint, so that the demo's tracking pages offer sealed proofs.
        checkpoint = take_checkpoint(now=timezone.now())
        self.stdout.write(f"Checkpoint #{checkpoint.number} taken.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {petitions} petitions. "
                f"Logins (password {demo.DEMO_PASSWORD!r}): "
                "admin, coordinator, handler, handler2, supervisor, auditor, dpo."
            )
        )
