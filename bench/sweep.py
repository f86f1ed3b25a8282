"""Benchmark: the SLA sweep with 1,000,000 open petitions, 1 % of them newly due.

    .venv/bin/python bench/sweep.py [--petitions 1000000] [--due-percent 1]

Fills `pakn_bench` in bulk with SQL (petitions, their answer clocks, agencies with
supervisors), then times one full sweep (every due clock: breach, escalation,
history entry) and sweeps with nothing due, and prints EXPLAIN of the claim query.
Targets (DESIGN.md): full sweep ≤ 2 s, nothing due ≤ 50 ms.
"""

import argparse
import statistics

from common import insert_select, numbered_petitions, timed, use_bench_database

AGENCIES = 20


def fill(petitions: int, due_percent: float, now):
    from django.contrib.auth.models import User
    from django.db import connection

    from workflow.areas.models import Province
    from workflow.models import Agency, Category, Clock, Membership, Petition

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE workflow_historyentry, workflow_slaalert, workflow_clockevent, "
            "workflow_clock, workflow_extension, workflow_petition, "
            "notifications_notification, workflow_membership, workflow_routingrule, "
            "workflow_agency CASCADE"
        )
    Category.objects.get_or_create(code="bench", defaults={"name": "Bench"})
    category = Category.objects.get(code="bench")
    province = Province.objects.current().first()
    parent = Agency.objects.create(code="bench-parent", name="UBND", level="province")
    agencies = [
        Agency.objects.create(
            code=f"bench-{i}",
            name=f"Sở {i}",
            level="province",
            parent=parent,
            email=f"so{i}@bench.example",
        )
        for i in range(AGENCIES)
    ]
    for agency in [parent, *agencies]:
        user, _ = User.objects.get_or_create(
            username=f"sup-{agency.code}",
            defaults={"email": f"{agency.code}@b.example"},
        )
        Membership.objects.create(user=user, role="supervisor", agency=agency)
    due_every = max(int(round(100 / due_percent)), 1)
    first_agency = agencies[0].pk
    with connection.cursor() as cursor:
        due = (
            "CASE WHEN g %% %(every)s = 0 THEN %(now)s - interval '1 hour' "
            "ELSE %(now)s + (1 + g %% 20) * interval '1 day' END"
        )
        cursor.execute(
            insert_select(
                Petition,
                {
                    **numbered_petitions("B"),
                    "category_id": "%(category)s",
                    "province_id": "%(province)s",
                    "state": "'in_progress'",
                    "agency_id": "%(agency)s + g %% %(agencies)s",
                    "received_at": "%(now)s - interval '10 days'",
                    "due_at": due,
                    "next_due_at": due,
                },
                "generate_series(1, %(n)s) g",
            ),
            {
                "category": category.pk,
                "province": province.pk,
                "agency": first_agency,
                "agencies": AGENCIES,
                "now": now,
                "n": petitions,
                "every": due_every,
            },
        )
        cursor.execute(
            insert_select(
                Clock,
                {
                    "petition_id": "id",
                    "kind": "'answer'",
                    "agency_id_at_start": "agency_id",
                    "amount": "20",
                    "unit": "'days'",
                    "started_at": "received_at",
                    "due_at": "due_at",
                    "original_due_at": "due_at",
                    "next_check_at": "due_at",
                },
                "workflow_petition",
            ),
            {},
        )
        cursor.execute("VACUUM ANALYZE workflow_petition")
        cursor.execute("VACUUM ANALYZE workflow_clock")
        # The fill's writes are flushed now, not in the middle of the timed sweep.
        cursor.execute("CHECKPOINT")
    return petitions // due_every


def explain(now):
    from django.db import connection

    from workflow.sweeps import CLAIM_SQL

    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + CLAIM_SQL, [now, 2000]
        )
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--due-percent", type=float, default=1.0)
    parser.add_argument("--empty-runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    use_bench_database()
    from django.db import transaction
    from django.utils import timezone

    from workflow import sweeps
    from workflow.models import SlaAlert

    now = timezone.now()
    seconds, due = timed(fill, args.petitions, args.due_percent, now)
    print(
        f"filled {args.petitions:,} open petitions ({due:,} newly due) "
        f"in {seconds:.1f} s"
    )
    print("EXPLAIN of the claim query (due rows present):")
    with transaction.atomic():
        print(explain(now))
        transaction.set_rollback(True)

    # A cluster sweeps every minute in a long-lived process: the public holiday
    # tables (`holidays`) are loaded by then. Loading them is not the sweep's cost.
    from workflow.deadlines import WorkingCalendar

    WorkingCalendar().is_working_day(now.date())
    seconds, done = timed(sweeps.sweep, now=now, workers=args.workers)
    breaches = SlaAlert.objects.filter(kind="breach").count()
    print(
        f"full sweep: {seconds * 1000:.0f} ms for {done['claimed']:,} due clocks "
        f"({breaches:,} breaches recorded; target ≤ 2000 ms)"
    )
    empty = [timed(sweeps.sweep, now=now)[0] * 1000 for _ in range(args.empty_runs)]
    print(
        f"nothing due: median {statistics.median(empty):.1f} ms, "
        f"max {max(empty):.1f} ms over {len(empty)} sweeps (target ≤ 50 ms)"
    )
    print("EXPLAIN of the claim query (nothing due):")
    with transaction.atomic():
        print(explain(now))


if __name__ == "__main__":
    main()
