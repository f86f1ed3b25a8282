from django.core.management.base import BaseCommand, CommandError

from workflow.models import ClosedPeriod
from workflow.reports.closing import verify_closed
from workflow.reports.management import parse_day


class Command(BaseCommand):
    help = (
        "Recompute closed report periods from the history and say whether each "
        "still matches the figures stored when it was closed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", type=parse_day, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", type=parse_day, help="last day, YYYY-MM-DD")

    def handle(self, *args, start, end, **options):
        closed = ClosedPeriod.objects.order_by("start_on", "end_on")
        if start or end:
            if not (start and end):
                raise CommandError("Give both --start and --end, or neither.")
            closed = closed.filter(start_on=start, end_on=end)
            if not closed.exists():
                raise CommandError(f"The period {start}..{end} is not closed.")
        failed = 0
        for period in closed:
            check = verify_closed(period)
            label = f"{period.start_on}..{period.end_on}"
            if check.matches:
                self.stdout.write(
                    f"OK: {label} matches the history "
                    f"({check.entries_now} entries, digest {check.digest_now[:16]}…)."
                )
                continue
            failed += 1
            if not check.history_matches:
                self.stderr.write(
                    f"CHANGED: {label}: the history dated before the period's end "
                    f"changed since it was closed ({period.history_entries} entries, "
                    f"digest {period.history_digest[:16]}… then; "
                    f"{check.entries_now}, {check.digest_now[:16]}… now)."
                )
            for difference in check.differences:
                self.stderr.write(f"CHANGED: {label}: {difference}")
        if failed:
            raise CommandError(f"{failed} closed period(s) differ from the history.")
        if not closed:
            self.stdout.write("No closed period to verify.")
