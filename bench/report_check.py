"""Each report column on the demo data, beside an independent recomputation.

    .venv/bin/python bench/report_check.py [--petitions 2000] [--start 2026-08-01]
                                           [--end 2026-12-01] [--reseed]

Seeds its own database (`pakn_bench_check`, or BENCH_DATABASE) with `seed_demo
--petitions N` (timed), then prints, for the period, every column of the report's
total and of each province as the report computes it (the rollups the history
trigger keeps), as a closed period would store it (from the history as of the
end), and as tests/support/report_recompute.py counts it from raw rows (clocks,
clock events, history) with its own working-day calendar. It ends with the on-time
rate of every agency, and exits non-zero if any figure differs.
"""

import argparse
import os
import sys
import time
from datetime import date

import common


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--petitions", type=int, default=2000)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2026, 8, 1))
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 12, 1))
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_DATABASE", "pakn_bench_check")
    print("database:", common.use_bench_database())
    from django.core.management import call_command
    from django.db import connection

    from tests.support.report_recompute import recompute
    from workflow.models import Petition
    from workflow.reports import columns, history, rollup
    from workflow.reports.figures import Figures, build_report
    from workflow.reports.periods import Period

    if args.reseed or Petition.objects.count() != args.petitions:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", petitions=args.petitions, stdout=quiet)
        took = time.perf_counter() - started
        print(f"seed_demo --petitions {args.petitions}: {took:.1f} s")
    period = Period(args.start, args.end)
    report = rollup.period_figures(period)
    from_history, entries, digest = history.figures_as_of_end(period)
    independent = recompute(period.start_on, period.end_on)
    print(
        f"\nperiod {period.start_on}..{period.end_on}; {entries:,} history entries "
        f"before its end (digest {digest[:16]}…)\n"
    )
    named = build_report(period, report)
    differences = 0
    rows = [("total", "", "Tổng cộng (cả nước)")] + [
        ("province", row.key, row.name) for row in named.tables["province"].rows
    ]
    for dimension, key, name in rows:
        shown = report[dimension].get(key, Figures())
        stored = from_history.get(dimension, {}).get(key, Figures())
        counted = Figures.from_dict(independent.get(dimension, {}).get(key, {}))
        print(f"{name}")
        print(f"  {'column':46} {'report':>8} {'history':>8} {'raw rows':>9}")
        for column in columns.COLUMNS:
            values = [getattr(f, column.key) for f in (shown, stored, counted)]
            mark = "" if len(set(values)) == 1 else "  ≠"
            differences += bool(mark)
            print(
                f"  {column.numbered_label[:46]:46} "
                + " ".join(f"{_text(column, v):>8}" for v in values)
                + mark
            )
        print()
    print("on-time rate by agency (resolved on time / resolved):")
    for row in named.tables["agency"].rows:
        f = row.figures
        if f.resolved:
            print(
                f"  {row.name[:52]:52} {f.on_time_rate_text:>9} "
                f"({f.resolved_on_time}/{f.resolved})"
            )
    if differences:
        print(f"\n{differences} figure(s) differ.")
        sys.exit(1)
    print("\nEvery figure equals its recomputation.")


def _text(column, value):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


if __name__ == "__main__":
    main()
