import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflow.proof.checkpoints import CheckpointError, take_checkpoint
from workflow.proof.keys import KeyProblem


class Command(BaseCommand):
    help = (
        "Seal every petition's history head in a signed checkpoint now "
        "(the cluster takes one every day at AUDIT_CHECKPOINT_TIME)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            checkpoint = take_checkpoint(now=timezone.now())
        except (CheckpointError, KeyProblem) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Checkpoint #{checkpoint.number}: {checkpoint.petitions} petitions, "
            f"{checkpoint.entries} history entries, root {checkpoint.root}, "
            f"signed by {checkpoint.public_key} "
            f"({time.perf_counter() - started:.2f} s)."
        )
