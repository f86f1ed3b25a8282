from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflow.errors import WorkflowError
from workflow.reports.closing import close_period
from workflow.reports.management import parse_day
from workflow.reports.periods import Period


class Command(BaseCommand):
    help = "Close a report period (chốt số liệu): store its figures as of its end."

    def add_arguments(self, parser):
        parser.add_argument("start", type=parse_day, help="first day, YYYY-MM-DD")
        parser.add_argument("end", type=parse_day, help="last day, YYYY-MM-DD")

    def handle(self, *args, start, end, **options):
        if start > end:
            raise CommandError("The period ends before it starts.")
        try:
            closed = close_period(Period(start, end), now=timezone.now())
        except WorkflowError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Closed {closed.start_on}..{closed.end_on}: {closed.history_entries} "
            f"history entries, digest {closed.history_digest}."
        )
