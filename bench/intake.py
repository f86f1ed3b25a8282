"""Benchmark: intake through the service layer, in one process (target ≥ 1,000/s).

    .venv/bin/python bench/intake.py [--petitions 5000] [--profile]

Uses its own database (`pakn_bench_intake`, see common.py) with the demo's
reference data: categories with SLA targets, agencies of six provinces, routing
rules and staff, so that each petition is routed, logged and notified as in
production. Calls `workflow.services.submit_petition` N times (portal channel,
one transaction each), prints petitions per second, the queries one submission
makes and, with --profile, where the time goes (cProfile).
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import time

from common import use_bench_database

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def prepare():
    """Reference data once per database; petitions of earlier runs removed."""
    from django.conf import settings
    from django.db import connection

    from workflow import demo

    if not demo.is_seeded():
        # Demo logins need a password hash; a fast one keeps set-up short.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        demo.seed_reference_data()
    with connection.cursor() as cursor:
        # The report figures too: derived from the history, they would otherwise
        # pile up run after run (no cluster rolls them up here), and autovacuum of a
        # table of a million rows would take its CPU in the middle of a later run.
        cursor.execute(
            "TRUNCATE workflow_petition, notifications_notification, django_q_ormq, "
            "feedback_ratelimitcounter, workflow_pendingfigures, "
            "workflow_reportfigures CASCADE"
        )


def bodies(count, *, seed=2026, prefix="BENCH"):
    """Service arguments of `count` varied petitions to the demo's provinces."""
    from workflow import demo
    from workflow.models import Category

    rng = random.Random(seed)
    categories = list(Category.objects.values_list("code", flat=True))
    provinces = demo.communes_by_province()
    for i in range(count):
        province = rng.choice(list(provinces))
        yield {
            "channel_ref": f"{prefix}-{i:07d}",
            "submitter_kind": "citizen",
            "submitter_name": rng.choice(demo.NAMES),
            "email": f"nguoidan{i}@example.vn",
            "phone": f"09{rng.randrange(10**7, 10**8)}" if i % 2 else "",
            "title": rng.choice(demo.TITLES),
            "content": "Kính đề nghị cơ quan có thẩm quyền xem xét, giải quyết. " * 3,
            "category": rng.choice(categories),
            "province": province,
            # Every other petition names a commune (a rule may match it).
            "commune": rng.choice(provinces[province]) if i % 2 == 0 else None,
            "publish_consent": rng.random() < 0.6,
        }


def queries_per_submission(sample):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workflow import services

    counts = []
    for arguments in sample:
        with CaptureQueriesContext(connection) as captured:
            services.submit_petition(channel="portal", **arguments)
        counts.append(len(captured.captured_queries))
    return counts, captured.captured_queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--petitions", type=int, default=5000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--batch",
        type=int,
        default=1,
        help="petitions per submit_petitions() call (1: submit_petition one by one)",
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="print one submission's SQL"
    )
    args = parser.parse_args()

    use_bench_database("pakn_bench_intake")
    prepare()
    from notifications.models import Notification
    from workflow import services
    from workflow.models import HistoryEntry, Petition, State

    warm_up = list(bodies(200, seed=1, prefix="WARM"))
    for arguments in warm_up[:100]:
        services.submit_petition(channel="portal", **arguments)
    counts, last_queries = queries_per_submission(warm_up[100:120])

    work = list(bodies(args.petitions))
    profiler = cProfile.Profile() if args.profile else None
    each = []
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    for first in range(0, len(work), args.batch):
        chunk = work[first : first + args.batch]
        t0 = time.perf_counter()
        if args.batch == 1:
            services.submit_petition(channel="portal", **chunk[0])
        else:
            services.submit_petitions([{"channel": "portal", **a} for a in chunk])
        each.extend([(time.perf_counter() - t0) / len(chunk)] * len(chunk))
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - start

    created = Petition.objects.filter(channel_ref__startswith="BENCH-")
    routed = created.filter(state=State.ASSIGNED).count()
    total = created.count()
    notifications = Notification.objects.filter(
        petition_id__in=created.values("pk")
    ).count()
    history = HistoryEntry.objects.filter(petition__in=created).count()
    each.sort()
    print(
        f"petitions submitted : {total} (routed at intake: {routed}), "
        f"{args.batch} per call"
    )
    print(f"elapsed             : {elapsed:.2f} s")
    print(
        f"rate                : {total / elapsed:,.0f} petitions/s "
        f"(target ≥ 1,000/s{', profiled' if profiler else ''})"
    )
    print(
        "per submission      : "
        f"median {statistics.median(each) * 1000:.2f} ms, "
        f"p95 {each[int(len(each) * 0.95)] * 1000:.2f} ms, "
        f"p99 {each[int(len(each) * 0.99)] * 1000:.2f} ms"
    )
    print(
        f"queries/submission  : {statistics.mean(counts):.1f} "
        f"(min {min(counts)}, max {max(counts)})"
    )
    print(
        f"rows per submission : {history / total:.2f} history entries, "
        f"{notifications / total:.2f} notifications"
    )
    if args.show_queries:
        for query in last_queries:
            print(f"  {query['time']}s  {query['sql'][:160]}")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
