"""On the demo's stories (every kind of case mixed): the report, the history and the
independent recomputation agree on every row, and each figure lists as many
rows as it counts."""

from datetime import timedelta

from django.utils import timezone

from tests.support.report_recompute import recompute
from workflow import demo
from workflow.reports import history, listing, rollup
from workflow.reports.figures import Figures
from workflow.reports.periods import Period, local_today


def periods():
    today = local_today(timezone.now())
    return [
        Period.default(now=timezone.now()),
        Period(today - timedelta(days=75), today - timedelta(days=45)),
    ]


def test_the_computations_agree_on_the_demo_and_lists_match_figures(db):
    demo.seed_reference_data()
    demo.seed_petitions(count=80, seed=17)
    unfolded = {period: rollup.period_figures(period) for period in periods()}
    rollup.fold_pending()  # day and month rows: the period's edges cut months
    for period in periods():
        stored = rollup.period_figures(period)
        assert stored == unfolded[period]
        from_history, entries, _digest = history.figures_as_of_end(period)
        assert entries > 0
        independent = recompute(period.start_on, period.end_on)
        for dimension, rows in stored.items():
            assert rows == from_history.get(dimension, {}), dimension
            for key in set(rows) | set(independent.get(dimension, {})):
                counted = Figures.from_dict(independent[dimension].get(key, {}))
                assert rows.get(key, Figures()) == counted, (period, dimension, key)
                assert rows.get(key, Figures()).is_balanced()
    # Every figure lists as many rows as it counts.
    period = periods()[0]
    stored = rollup.period_figures(period)
    total = stored["total"][""]
    assert total.resolved_on_time and total.not_accepted and total.reopened
    for dimension in ("total", "agency", "province"):
        for key, figures in list(stored[dimension].items())[:3]:
            for measure in listing.MEASURES:
                rows = listing.listed(period, measure=measure, by=dimension, key=key)
                assert len(rows) == getattr(figures, measure), (dimension, key, measure)
