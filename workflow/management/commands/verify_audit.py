from django.core.management.base import BaseCommand, CommandError

from workflow.audit import verify_history
from workflow.models import HistoryEntry


class Command(BaseCommand):
    help = "Prove that no petition history entry was altered or removed (hash chains)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--petition",
            action="append",
            default=None,
            help="Tracking code to check (repeatable); all when absent.",
        )

    def handle(self, *args, petition, **options):
        ids = None
        if petition:
            from workflow.models import Petition

            ids = list(
                Petition.objects.filter(tracking_code__in=petition).values_list(
                    "pk", flat=True
                )
            )
            if len(ids) != len(set(petition)):
                raise CommandError(
                    "Unknown tracking code among: " + ", ".join(petition)
                )
        breaks = list(verify_history(ids))
        for found in breaks:
            self.stderr.write(f"ALTERED: {found}")
        if breaks:
            raise CommandError(f"{len(breaks)} petition history chain(s) broken.")
        count = (
            HistoryEntry.objects.count()
            if ids is None
            else HistoryEntry.objects.filter(petition_id__in=ids).count()
        )
        self.stdout.write(f"OK: {count} history entries verified, no alteration found.")
