"""`manage.py attribute_petitions INTEGRATION --channel portal`: give an integration
the machine-door petitions filed before petitions recorded who filed them.

The migration that started recording it (integrations 0002) could attribute
older petitions only where a single key existed. With several keys, the
operator who knows which system used which door runs this once per door; until
then those petitions are read by no key.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef

from workflow.models import Channel, Integration, Petition

MACHINE_CHANNELS = (Channel.PORTAL, Channel.OPEN311)


class Command(BaseCommand):
    help = (
        "Give INTEGRATION the petitions of a machine door that no integration "
        "filed (those received before integrations were recorded)."
    )

    def add_arguments(self, parser):
        parser.add_argument("integration", help="the integration's name")
        parser.add_argument(
            "--channel",
            action="append",
            required=True,
            choices=[channel.value for channel in MACHINE_CHANNELS],
            help="the door the integration used (repeat for both)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count, change nothing"
        )

    @transaction.atomic
    def handle(self, *args, integration, channel, dry_run, **options):
        owner = Integration.objects.filter(name=integration).first()
        if owner is None:
            raise CommandError(f"No integration is named {integration!r}.")
        unattributed = Petition.objects.filter(
            channel__in=channel, integration__isnull=True
        )
        # The integration's own ids stay unique: a petition whose id it has used
        # since (a delivery retried after the upgrade) keeps no integration.
        clash = Petition.objects.filter(
            integration=owner,
            channel=OuterRef("channel"),
            channel_ref=OuterRef("channel_ref"),
        )
        clashing = unattributed.filter(Exists(clash))
        kept = list(clashing.values_list("tracking_code", flat=True))
        given = unattributed.exclude(Exists(clash))
        count = given.count() if dry_run else given.update(integration=owner)
        verb = "would be given" if dry_run else "given"
        self.stdout.write(f"{count} petitions {verb} to {owner.name}.")
        if kept:
            self.stdout.write(
                f"{len(kept)} kept without an integration, their ids used again "
                f"since: {', '.join(kept[:20])}{' …' if len(kept) > 20 else ''}"
            )
