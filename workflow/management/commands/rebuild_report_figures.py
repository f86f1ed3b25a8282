from django.core.management.base import BaseCommand

from workflow.reports import calendar, rollup


class Command(BaseCommand):
    help = (
        "Recompute the report rollups from the whole history (after a bulk load, "
        "or when the national calendar changed a day in the past)."
    )

    def handle(self, *args, **options):
        calendar.sync_working_days()

        def progress(done, last):
            self.stdout.write(f"  petitions up to id {done:,} of {last:,}")

        rollup.rebuild(progress=progress)
        self.stdout.write("Report figures rebuilt from the history.")
