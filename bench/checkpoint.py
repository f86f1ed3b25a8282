"""Benchmark: a signed checkpoint at 1,000,000 petitions, and a petition's proof path.

    DEBUG=false SECRET_KEY=bench .venv/bin/python bench/checkpoint.py \
        [--petitions 1000000] [--changed-percent 1]

Fills `pakn_bench_checkpoint` in bulk with SQL: petitions with 1–5 history entries
each and a head (the checkpoint reads heads and counts only; entries are not
needed for it). Then times the first checkpoint (every chunk stored), one with
nothing changed, and one after `--changed-percent` of the petitions grew by an
entry; prints each one's stored size, the process's peak memory, and the time of
`proof_path` (the proof file's path) for random petitions. With
`--verify-petitions N`, then N petitions with real history (batch intake, the
demo's reference data) and the time of `verify_audit`'s chain walk and of its
checkpoint check. With DEBUG on, Django
keeps every statement (and the leaves it wrote) in memory: the peak is then not
the checkpoint's.
"""

import argparse
import random
import resource
import statistics

from common import insert_select, numbered_petitions, timed, use_bench_database


def fill(petitions: int):
    from django.db import connection

    from workflow.areas.models import Province
    from workflow.models import Category, Petition

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE workflow_checkpointchunk, workflow_checkpoint, "
            "workflow_historyentry, workflow_slaalert, workflow_clockevent, "
            "workflow_clock, workflow_extension, workflow_petition, "
            "notifications_notification RESTART IDENTITY CASCADE"
        )
    category, _ = Category.objects.get_or_create(code="bench", defaults={"name": "B"})
    province = Province.objects.current().first()
    with connection.cursor() as cursor:
        cursor.execute(
            insert_select(
                Petition,
                {
                    **numbered_petitions("C"),
                    "category_id": "%(category)s",
                    "province_id": "%(province)s",
                    "state": "'closed'",
                    "history_head": "encode(sha256(g::text::bytea), 'hex')",
                    "history_length": "1 + g %% 5",
                    "received_at": "now() - interval '30 days'",
                },
                "generate_series(1, %(n)s) g",
            ),
            {"category": category.pk, "province": province.pk, "n": petitions},
        )
        cursor.execute("VACUUM ANALYZE workflow_petition")
        cursor.execute("CHECKPOINT")


def grow(petitions: int, percent: float, *, recent: bool) -> int:
    """One more entry (a new head and count) for `percent` of the petitions: the
    newest ones (cases in handling are the recent ones), or spread evenly over
    all of them (the worst case: every chunk changes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if recent:
            where, params = (
                "id > (SELECT max(id) FROM workflow_petition) - %s",
                [int(petitions * percent / 100)],
            )
        else:
            where, params = "id %% %s = 0", [max(int(round(100 / percent)), 1)]
        cursor.execute(
            "UPDATE workflow_petition SET history_length = history_length + 1, "
            "history_head = encode(sha256((history_head || 'next')::bytea), 'hex') "
            f"WHERE {where}",
            params,
        )
        return cursor.rowcount


def stored_bytes(checkpoint) -> int:
    """What a checkpoint added: its row's data and the leaves it stored."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT octet_length(statement) + octet_length(chunk_roots) "
            "+ octet_length(signature) FROM workflow_checkpoint WHERE id = %s",
            [checkpoint.pk],
        )
        row = cursor.fetchone()[0]
        cursor.execute(
            "SELECT coalesce(sum(octet_length(leaves)), 0), count(*) "
            "FROM workflow_checkpointchunk WHERE checkpoint_id = %s",
            [checkpoint.pk],
        )
        leaves, chunks = cursor.fetchone()
    return row + leaves, chunks


def tables_on_disk() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('workflow_checkpoint') "
            "+ pg_total_relation_size('workflow_checkpointchunk')"
        )
        return cursor.fetchone()[0]


def report(label, seconds, checkpoint):
    size, chunks = stored_bytes(checkpoint)
    print(
        f"{label}: {seconds:.2f} s, {checkpoint.petitions:,} petitions, "
        f"{checkpoint.entries:,} entries; stored {size / 1e6:.2f} MB "
        f"({chunks} chunks of leaves, {len(checkpoint.chunk_roots):,} bytes "
        "of chunk roots)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--changed-percent", type=float, default=1.0)
    parser.add_argument("--paths", type=int, default=200)
    parser.add_argument("--verify-petitions", type=int, default=0)
    args = parser.parse_args()
    use_bench_database("pakn_bench_checkpoint")
    from django.utils import timezone

    from workflow.proof.checkpoints import proof_path, take_checkpoint

    seconds, _ = timed(fill, args.petitions)
    print(f"filled {args.petitions:,} petitions in {seconds:.1f} s")
    seconds, first = timed(take_checkpoint, now=timezone.now())
    report("first checkpoint", seconds, first)
    seconds, second = timed(take_checkpoint, now=timezone.now())
    report("nothing changed", seconds, second)
    changed = grow(args.petitions, args.changed_percent, recent=True)
    seconds, third = timed(take_checkpoint, now=timezone.now())
    report(f"after the newest {changed:,} petitions grew", seconds, third)
    changed = grow(args.petitions, args.changed_percent, recent=False)
    seconds, last = timed(take_checkpoint, now=timezone.now())
    report(f"after {changed:,} petitions spread over all grew", seconds, last)
    print(f"checkpoint tables on disk: {tables_on_disk() / 1e6:.1f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")

    rng = random.Random(16)
    ids = [rng.randint(1, args.petitions) for _ in range(args.paths)]
    times = []
    for pk in ids:
        seconds, found = timed(proof_path, pk)
        assert found is not None, pk
        assert found.checkpoint.number == last.number, (found.checkpoint, last)
        times.append(seconds * 1000)
    times.sort()
    print(
        f"proof path: median {statistics.median(times):.1f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms over {len(times)} "
        f"petitions ({len(found.steps)} steps)"
    )

    if args.verify_petitions:
        verify(args.verify_petitions)


def verify(petitions: int):
    """verify_audit's two walks over petitions with real, hash-chained history."""
    from django.db import connection
    from django.utils import timezone
    from intake import bodies, prepare

    from workflow.audit import verify_history
    from workflow.models import HistoryEntry
    from workflow.proof.checkpoints import take_checkpoint
    from workflow.proof.verification import verify_checkpoints
    from workflow.services import submit_petitions

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE workflow_checkpointchunk, workflow_checkpoint RESTART IDENTITY"
        )
    prepare()
    drafts = [{"channel": "portal", **b} for b in bodies(petitions, prefix="VERIFY")]
    seconds, _ = timed(
        lambda: [
            submit_petitions(drafts[i : i + 500]) for i in range(0, petitions, 500)
        ]
    )
    entries = HistoryEntry.objects.count()
    print(f"filled {petitions:,} petitions ({entries:,} entries) in {seconds:.1f} s")
    take_checkpoint(now=timezone.now())
    seconds, breaks = timed(lambda: list(verify_history()))
    print(f"verify_audit chains: {seconds:.1f} s, {len(breaks)} breaks")
    seconds, problems = timed(lambda: list(verify_checkpoints()))
    print(
        f"verify_audit --checkpoints (beyond the chains): {seconds:.1f} s, "
        f"{len(problems)} problems"
    )


if __name__ == "__main__":
    main()
