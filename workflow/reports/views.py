"""Auditor pages (the report, its exports, drill-down, closing) and public /stats/.

Each view parses a form, checks access, asks one query of workflow.reports and
renders.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_q.tasks import async_task

from config.routers import reads_reports
from workflow import charts, csv_export, queries, receipts
from workflow.access import get_petition_for_staff, require_auditor
from workflow.links import next_url
from workflow.models import ClosedPeriod
from workflow.permissions import StaffRoles
from workflow.privacy import reads
from workflow.reports import columns, db, listing, stats
from workflow.reports.exports import csv_table, workbook, xlsx_response
from workflow.reports.figures import DIMENSION_LABELS, DIMENSIONS
from workflow.reports.forms import (
    BackdatedForm,
    ClosePeriodForm,
    DrillDownForm,
    PeriodForm,
)
from workflow.reports.report import auditor_report, breach_weeks
from workflow.reports.rollup import MOVES

DRILL_DOWN_PAGE_SIZE = 100
CLOSED_CACHE_SECONDS = 3600
CLOSED_SHOWN = 12


def _render(request, template, context, actor):
    roles = StaffRoles.of(actor)
    return render(request, template, {"roles": roles, **context})


@login_required
@reads_reports
def report(request):
    actor = require_auditor(request)
    form = PeriodForm(request.GET or None)
    period = form.period()
    result = auditor_report(period)
    weeks = breach_weeks(period)
    context = {
        "form": form,
        "period": period,
        "report": result,
        "tables": _tables(result, period),
        "groups": columns.groups(),
        "columns": columns.COLUMNS,
        "notes": columns.NOTES,
        "weeks": weeks,
        "charts": _report_charts(result, weeks),
        "can_close": actor.is_admin
        and result.closed is None
        and period.has_ended(timezone.now()),
        "closed_periods": list(db.using(ClosedPeriod.objects.all())[:CLOSED_SHOWN]),
    }
    return _render(request, "workflow/report.html", context, actor)


def _tables(result, period) -> list[dict]:
    """The four tables, rendered; a closed period's once per language and process
    (its figures never change)."""

    def build():
        return [_linked(result.tables[d], period) for d in DIMENSIONS]

    if result.closed is None:
        return build()
    key = f"pakn:closed-report:{result.closed.pk}:{get_language()}"
    return cache.get_or_set(key, build, CLOSED_CACHE_SECONDS) or build()


def _linked(table, period):
    """A table's rows with their cells, each figure linked to its drill-down list
    (the URLs built here once: thousands of cells are too many for {% url %})."""
    base = f"{reverse('workflow:drill_down')}?" + urlencode(
        {"start_on": period.start_on, "end_on": period.end_on}
    )
    rows = [
        columns.row_html(
            row.name,
            columns.cells(
                row.figures,
                link=f"{base}&by={table.dimension}&" + urlencode({"key": row.link_key}),
            ),
        )
        for row in table.rows
    ]
    # A table's total of moves sums its agencies' (a transfer is a move out of one
    # and into another); the list behind the report's total has none, as moves are
    # counted per agency only: those cells are not linked (each agency's are).
    total = columns.row_html(
        _("Tổng cộng"), columns.cells(table.total, link=base, unlisted=MOVES)
    )
    label = str(table.label)
    return {
        "dimension": table.dimension,
        "label": label,
        "head": columns.header_html(label),
        "body": mark_safe("".join(f"<tr>{row}</tr>" for row in rows)),  # noqa: S308
        "total": total if rows else "",
    }


def _report_charts(result, weeks) -> dict:
    rated = [
        (row.name, row.figures.on_time_rate)
        for row in result.tables["agency"].rows
        if row.figures.resolved
    ]
    counts = [(w.shown_label, w.count) for w in weeks]
    return {
        "rate": charts.rate_bars(
            rated,
            chart_id="chart-rate",
            title=_("Tỷ lệ giải quyết đúng hạn theo đơn vị"),
            desc=_rate_summary(rated),
        ),
        "trend": charts.week_columns(
            counts,
            chart_id="chart-trend",
            axis_labels=[w.week_start.strftime("%d/%m") for w in weeks],
            title=_("Số lần quá hạn giải quyết theo tuần"),
            desc=_(
                "%(total)d lần quá hạn giải quyết trong %(weeks)d tuần; nhiều nhất "
                "%(top)d trong một tuần."
            )
            % {
                "total": sum(c for _w, c in counts),
                "weeks": len(counts),
                "top": max((c for _w, c in counts), default=0),
            },
        ),
    }


def _rate_summary(rated) -> str:
    if not rated:
        return _("Chưa có phản ánh nào được giải quyết trong kỳ.")
    best = max(rated, key=lambda item: item[1])
    worst = min(rated, key=lambda item: item[1])
    return _(
        "Cao nhất: %(best)s %(best_rate)s; thấp nhất: %(worst)s %(worst_rate)s."
    ) % {
        "best": best[0],
        "best_rate": charts.percent(best[1]),
        "worst": worst[0],
        "worst_rate": charts.percent(worst[1]),
    }


@login_required
@reads_reports
def report_csv(request, table):
    require_auditor(request)
    period = PeriodForm(request.GET or None).period()
    if table == "trend":
        header = [_("Tuần (ISO)"), _("Bắt đầu"), _("Số lần quá hạn giải quyết")]
        weeks = breach_weeks(period)
        rows = [[w.label, w.week_start.isoformat(), w.count] for w in weeks]
    elif table in DIMENSIONS:
        header, rows = csv_table(auditor_report(period).tables[table])
    else:
        raise Http404
    return csv_export.csv_response(f"pakn-{table}-{period.slug}.csv", header, rows)


@login_required
@reads_reports
def report_xlsx(request):
    require_auditor(request)
    period = PeriodForm(request.GET or None).period()
    content = workbook(auditor_report(period))
    return xlsx_response(f"pakn-bao-cao-{period.slug}.xlsx", content)


@login_required
@reads_reports
def drill_down(request):
    actor = require_auditor(request)
    form = DrillDownForm(request.GET)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    rows = listing.listed(
        form.period(), measure=data["measure"], by=data["by"], key=data["key"]
    )
    if request.GET.get("format") == "csv":
        header, lines = csv_export.petitions_table(listing.petitions_of(rows))
        name = f"pakn-{data['measure']}-{form.period().slug}.csv"
        return csv_export.csv_response(name, header, lines)
    page = Paginator(rows, DRILL_DOWN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "column": columns.BY_KEY[data["measure"]],
        "by_label": DIMENSION_LABELS.get(data["by"]),
        "page": page,
        "petitions": listing.petitions_of(page.object_list),
        "query": _query_without_page(request),
    }
    return _render(request, "workflow/drill_down.html", context, actor)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_POST
def close_period(request):
    actor = require_auditor(request)
    if not actor.is_admin:
        raise Http404
    form = ClosePeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kỳ báo cáo không hợp lệ."))
        return redirect("workflow:report")
    period = form.period()
    transaction.on_commit(
        lambda: async_task(
            "workflow.tasks.close_report_period",
            start_on=period.start_on.isoformat(),
            end_on=period.end_on.isoformat(),
            user_id=actor.user.pk,
        )
    )
    messages.success(
        request,
        _("Đang chốt số liệu kỳ %(start)s – %(end)s; tải lại trang sau ít phút.")
        % {
            "start": period.start_on.strftime("%d/%m/%Y"),
            "end": period.end_on.strftime("%d/%m/%Y"),
        },
    )
    return redirect(_report_url(period))


def _report_url(period) -> str:
    query = urlencode({"start_on": period.start_on, "end_on": period.end_on})
    return f"{reverse('workflow:report')}?{query}"


@login_required
@reads_reports
def backdated(request):
    """Auditors: every staff entry made after its stated receipt moment."""
    actor = require_auditor(request)
    form = BackdatedForm(request.GET or None)
    period = form.period()
    petitions = queries.backdated_entries(period, channel=form.channel_filter())
    if request.GET.get("format") == "csv":
        header, rows = csv_export.backdated_table(petitions)
        return csv_export.csv_response(
            f"pakn-backdated-{period.slug}.csv", header, rows
        )
    page = Paginator(petitions, DRILL_DOWN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "period": period,
        "query": _query_without_page(request),
    }
    return _render(request, "workflow/backdated.html", context, actor)


@login_required
@reads_reports
def audit_case(request, tracking_code):
    actor = require_auditor(request)
    petition = get_petition_for_staff(request, tracking_code)
    # The page shows the texts and the history's reasons, with whatever personal
    # data their writers put there: a read, as on the case page.
    reads.record_read(user=request.user, petition=petition, what=reads.What.CASE)
    context = {
        "audit": queries.case_audit(petition),
        "petition": petition,
        "entry": receipts.entry_facts(petition),
        # Back to the drill-down list the auditor came from, page and filters kept.
        "back_url": next_url(request, reverse("workflow:report")),
    }
    return _render(request, "workflow/audit_case.html", context, actor)


# --- public statistics --------------------------------------------------------------


@reads_reports
def public_stats(request):
    now = timezone.now()
    months = stats.monthly(now)
    chosen = stats.month_of(request.GET.get("month", ""), now) or months[-2].first
    month_report = stats.month_report(chosen, now)
    context = {
        "months": months,
        "chosen": chosen,
        "unit_tables": [stats.unit_table(month_report, d) for d in stats.UNITS],
        "columns": stats.COLUMNS,
        "notes": columns.NOTES,
        "chart": _month_chart(months, _("cả nước")),
    }
    return render(request, "stats/index.html", context)


@reads_reports
def public_unit_stats(request, dimension, key):
    name = stats.unit_name(dimension, key)
    if name is None:
        raise Http404
    months = stats.monthly(timezone.now(), dimension=dimension, key=key)
    context = {
        "name": name,
        "dimension": dimension,
        "months": months,
        "columns": stats.COLUMNS,
        "notes": columns.NOTES,
        "chart": _month_chart(months, name),
    }
    return render(request, "stats/unit.html", context)


def _month_chart(months, name):
    rows = [(m.first.strftime("%m/%Y"), m.figures.on_time_rate) for m in months]
    rated = [value for _label, value in rows if value is not None]
    return charts.month_bars(
        rows,
        chart_id="chart-months",
        title=_("Tỷ lệ giải quyết đúng hạn theo tháng: %(name)s") % {"name": name},
        desc=_("%(months)d tháng; thấp nhất %(low)s, cao nhất %(high)s.")
        % {
            "months": len(rows),
            "low": charts.percent(min(rated, default=None)),
            "high": charts.percent(max(rated, default=None)),
        },
    )
