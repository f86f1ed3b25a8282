"""Re-laying out open clocks after a calendar or a category's targets changed.

Only running clocks that were not yet breached move: a breach already recorded stays,
with the snapshot of the target it was judged by. A case deadline that moves is
written into the petition's history, so the history (and the auditor figures
computed from it) knows every deadline a petition was under.
"""

from django.db import transaction
from django.db.models import Q

from workflow.access import Actor
from workflow.deadlines import ClockEvent as Event
from workflow.history import insert_entries, next_values
from workflow.models import Action, Agency, Petition
from workflow.models.sla import Clock
from workflow.sla import calendar_for, lay_out, refresh_petition, targets_for

BATCH_SIZE = 500


def recompute_open_clocks(*, now, calendar_id=None, category_id=None) -> int:
    """Recompute in batches of petitions (each batch its own transaction)."""
    petitions = Petition.objects.filter(
        clocks__stopped_at__isnull=True, clocks__breached_at__isnull=True
    )
    if category_id is not None:
        petitions = petitions.filter(category_id=category_id)
    if calendar_id is not None:
        own = Agency.objects.filter(calendar_id=calendar_id).values("pk")
        national = Agency.objects.filter(calendar__isnull=True).values("pk")
        if _is_national(calendar_id):
            petitions = petitions.filter(
                Q(agency__in=national) | Q(agency__isnull=True)
            )
        else:
            petitions = petitions.filter(agency__in=own)
    ids = sorted(set(petitions.values_list("pk", flat=True)))
    changed = 0
    for start in range(0, len(ids), BATCH_SIZE):
        changed += _recompute_batch(ids[start : start + BATCH_SIZE], now)
    return changed


def _is_national(calendar_id) -> bool:
    from workflow.models.sla import Calendar
    from workflow.sla import NATIONAL_CALENDAR

    return Calendar.objects.filter(pk=calendar_id, name=NATIONAL_CALENDAR).exists()


@transaction.atomic
def _recompute_batch(petition_ids, now) -> int:
    changed, entries = 0, []
    petitions = (
        Petition.objects.select_for_update(of=("self",))
        .select_related("agency")
        .filter(pk__in=petition_ids)
    )
    for petition in petitions:
        due_before = petition.due_at
        calendar = calendar_for(petition.agency)
        targets = targets_for(petition)
        running = list(
            Clock.objects.filter(
                petition=petition, stopped_at__isnull=True
            ).prefetch_related("events")
        )
        for clock in running:
            if clock.breached_at is not None:
                continue
            clock.amount, clock.unit = targets[clock.kind]
            events = [Event(e.kind, e.at, e.days) for e in clock.events.all()]
            before = (clock.due_at, clock.warn_at)
            lay_out(clock, calendar, now=now, events=events)
            if (clock.due_at, clock.warn_at) != before:
                clock.save()
                changed += 1
        refresh_petition(petition, running)
        fields = ["due_at", "next_due_at", "next_warn_at"]
        if petition.due_at != due_before:
            entries.append(_deadline_moved(petition, due_before, now))
            fields += ["history_head", "history_length", "version"]
        petition.save(update_fields=fields)
    insert_entries(entries)
    return changed


def _deadline_moved(petition, due_before, now) -> dict:
    petition.version += 1
    return next_values(
        petition,
        actor=Actor.system(),
        action=Action.RECOMPUTE_DEADLINE,
        from_state=petition.state,
        at=now,
        due_at=petition.due_at,
        data={"from": due_before.isoformat() if due_before else None},
    )
