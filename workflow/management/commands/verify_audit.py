from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflow.audit import verify_history
from workflow.models import Checkpoint, HistoryEntry

# Checkpoints are taken daily (AUDIT_CHECKPOINT_TIME): history older than this
# that none seals means checkpoints were removed, or stopped being taken.
UNSEALED_GRACE = timedelta(days=2)


class Command(BaseCommand):
    help = (
        "Prove that no petition history entry was altered or removed (hash chains); "
        "with --checkpoints, that today's history extends every signed checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--petition",
            action="append",
            default=None,
            help="Tracking code to check (repeatable); all when absent.",
        )
        parser.add_argument(
            "--checkpoints",
            action="store_true",
            help="Also check every checkpoint: signature, root, and that each "
            "petition's history still hashes to the head it sealed.",
        )
        parser.add_argument(
            "--expect-checkpoint",
            type=int,
            default=None,
            metavar="N",
            help="The number of a checkpoint known from outside (its e-mail, an "
            "archived copy): fail unless it is here.",
        )
        parser.add_argument(
            "--public-key",
            action="append",
            default=None,
            help="Trust checkpoints signed by this Ed25519 public key (hex) only, "
            "e.g. the one printed in the checkpoint e-mails (repeatable).",
        )

    def handle(
        self, *args, petition, checkpoints, public_key, expect_checkpoint, **options
    ):
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
            if checkpoints:
                raise CommandError("--checkpoints checks all petitions.")
        breaks = list(verify_history(ids))
        for found in breaks:
            self.stderr.write(f"ALTERED: {found}")
        problems = [f"{len(breaks)} petition history chain(s) broken"] if breaks else []
        if checkpoints and (found := self._checkpoints(public_key, expect_checkpoint)):
            problems.append(f"{len(found)} checkpoint problem(s)")
        if problems:
            raise CommandError("; ".join(problems) + ".")
        count = (
            HistoryEntry.objects.count()
            if ids is None
            else HistoryEntry.objects.filter(petition_id__in=ids).count()
        )
        self.stdout.write(f"OK: {count} history entries verified, no alteration found.")
        if checkpoints:
            self.stdout.write(
                f"OK: today's history extends all {Checkpoint.objects.count()} "
                "checkpoint(s)."
            )

    def _checkpoints(self, public_keys, expected):
        from workflow.proof.verification import verify_checkpoints

        trusted = {k.strip().lower() for k in public_keys} if public_keys else None
        found = list(verify_checkpoints(trusted))
        found += _missing_checkpoints(expected, now=timezone.now())
        for problem in found:
            self.stderr.write(f"CHECKPOINT: {problem}")
        return found


def _missing_checkpoints(expected, *, now) -> list[str]:
    """What the checkpoints that are here cannot show by themselves: that some
    were deleted. Deleted all at once, none is left to name its predecessor."""
    problems = []
    newest = Checkpoint.objects.order_by("-number").first()
    if expected is not None and not Checkpoint.objects.filter(number=expected).exists():
        problems.append(
            f"checkpoint #{expected}, known from outside, is not here "
            f"(newest here: {f'#{newest.number}' if newest else 'none'})"
        )
    cutoff = now - UNSEALED_GRACE
    unsealed = HistoryEntry.objects.filter(at__lt=cutoff)
    if newest is not None:
        unsealed = unsealed.filter(at__gt=newest.taken_at)
    if count := unsealed.count():
        since = (
            f"the newest, #{newest.number}, is of {newest.taken_at:%Y-%m-%d %H:%M} UTC"
            if newest
            else "there is none"
        )
        problems.append(
            f"{count} history entries older than {UNSEALED_GRACE.days} days are "
            f"sealed by no checkpoint ({since}): checkpoints were removed, or are "
            "not being taken"
        )
    return problems
