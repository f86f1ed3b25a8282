"""Staff pages: queue, case, supervisor dashboard, auditor reports.

Each view parses (a form), checks access (`workflow.access`), calls one service or
query, then renders or redirects. Rules live in workflow modules, not here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.routers import reads_reports
from workflow import charts, csv_export, queries, receipts
from workflow.access import (
    get_petition_for_staff,
    require_auditor,
    require_supervisor,
    staff_actor,
)
from workflow.errors import WorkflowError
from workflow.forms import (
    ACTION_FORMS,
    BackdatedForm,
    BulkAssignForm,
    DrillDownForm,
    PeriodForm,
    QueueFilterForm,
)
from workflow.permissions import (
    ACTION_LABELS,
    StaffRoles,
    allowed_actions,
    landing_page,
)
from workflow.privacy import reads

QUEUE_PAGE_SIZE = 50
DRILL_DOWN_PAGE_SIZE = 100


def _staff(request) -> tuple:
    actor = staff_actor(request)
    return actor, StaffRoles.of(actor)


def _render(request, template, context, roles=None, status=200):
    """Render a staff page; `roles` decides which links the staff menu shows."""
    roles = roles or StaffRoles.of(staff_actor(request))
    return render(request, template, {"roles": roles, **context}, status=status)


@login_required
def staff_home(request):
    return redirect(landing_page(staff_actor(request)))


# --- handler queue ---


@login_required
def queue(request):
    actor, roles = _staff(request)
    form = QueueFilterForm(request.GET or None, actor=actor, roles=roles)
    now = timezone.now()
    petitions = queries.handler_queue(actor, form.filters(), now=now, roles=roles)
    page = Paginator(petitions, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": queries.queue_rows(page.object_list, roles, now=now),
        "bulk_form": BulkAssignForm(roles=roles) if roles.is_supervisor else None,
        "query": _query_without_page(request),
    }
    return _render(request, "workflow/queue.html", context, roles)


@login_required
@require_POST
def bulk_assign(request):
    actor, roles = _staff(request)
    form = BulkAssignForm(request.POST, roles=roles)
    if not roles.is_supervisor:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Chọn phản ánh và cán bộ để phân công."))
        return redirect(_next_url(request, reverse("workflow:queue")))
    result = form.assign_all(actor)
    _report_bulk(request, result)
    return redirect(_next_url(request, reverse("workflow:queue")))


def _report_bulk(request, result):
    if result.assigned:
        messages.success(
            request,
            _("Đã phân công %(count)d phản ánh: %(codes)s.")
            % {"count": len(result.assigned), "codes": ", ".join(result.assigned)},
        )
    for code, reason in result.failed:
        messages.error(
            request,
            _("%(code)s chưa được phân công: %(reason)s")
            % {"code": code, "reason": reason},
        )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- case page ---


@login_required
def case(request, tracking_code):
    actor, roles = _staff(request)
    petition = get_petition_for_staff(request, tracking_code)
    reads.record_read(user=request.user, petition=petition, what=reads.What.CASE)
    return _render_case(request, petition, actor, roles)


@login_required
@require_POST
def act(request, tracking_code, action):
    actor, roles = _staff(request)
    petition = get_petition_for_staff(request, tracking_code)
    if action not in ACTION_FORMS or not ACTION_FORMS[action].is_available():
        raise Http404
    form = ACTION_FORMS[action](request.POST, petition=petition, actor=actor)
    if form.is_valid():
        try:
            form.perform()
        except WorkflowError as error:
            form.add_workflow_error(error)
        else:
            messages.success(request, _("Đã thực hiện: %s.") % ACTION_LABELS[action])
            return redirect(_next_url(request, _case_url(petition)))
    petition = get_petition_for_staff(request, tracking_code)
    reads.record_read(user=request.user, petition=petition, what=reads.What.CASE)
    return _render_case(request, petition, actor, roles, failed=form, status=400)


def _case_url(petition):
    return reverse("workflow:case", args=[petition.tracking_code])


def _render_case(request, petition, actor, roles, failed=None, status=200):
    """The case page; a refused form comes back with what was typed and its errors."""
    actions = allowed_actions(roles, petition)
    forms = [ACTION_FORMS[action](petition=petition, actor=actor) for action in actions]
    if failed is not None:
        # Keep the typed text but the latest version, so a deliberate resend after
        # reading the refreshed page is not refused again as stale.
        data = failed.data.copy()
        data[failed.add_prefix("version")] = petition.version
        failed.data = data
        forms = [failed, *[f for f in forms if f.action != failed.action]]
    now = timezone.now()
    context = {
        "petition": petition,
        "status": queries.sla.sla_status(petition, now),
        "deadlines": queries.case_deadlines(petition, now=now),
        "forms": [(form, ACTION_LABELS[form.action]) for form in forms],
        "history": queries.case_history(petition),
        "clocks": queries.case_clocks(petition),
        "extension": queries.case_extension(petition),
        "letters": queries.case_letters(petition),
        "entry": receipts.entry_facts(petition),
        "may_reissue_secret": roles.enters_petitions,
    }
    return _render(request, "workflow/case.html", context, roles, status=status)


# --- supervisor dashboard ---


@login_required
def dashboard(request):
    actor = require_supervisor(request)
    figures = queries.dashboard_figures(actor, now=timezone.now())
    return _render(request, "workflow/dashboard.html", {"figures": figures})


# --- auditor pages ---


@login_required
@reads_reports
def report(request):
    require_auditor(request)
    form = PeriodForm(request.GET or None)
    period = form.period()
    reports = queries.on_time_reports(period, now=timezone.now())
    context = {
        "form": form,
        "period": period,
        "by_agency": reports["agency"],
        "by_province": reports["province"],
        "trend": queries.overdue_trend(period),
    }
    context["charts"] = _report_charts(context)
    return _render(request, "workflow/report.html", context)


def _report_charts(context) -> dict:
    rated = [(r.name, r.on_time_rate) for r in context["by_agency"].rows if r.answered]
    weeks = [(w.shown_label, w.count) for w in context["trend"]]
    return {
        "rate": charts.rate_bars(
            rated,
            chart_id="chart-rate",
            title=_("Tỷ lệ trả lời đúng hạn theo đơn vị"),
            desc=_rate_summary(rated),
        ),
        "trend": charts.week_columns(
            weeks,
            chart_id="chart-trend",
            axis_labels=[w.week_start.strftime("%d/%m") for w in context["trend"]],
            title=_("Số phản ánh quá hạn theo tuần"),
            desc=_(
                "%(total)d phản ánh quá hạn trong %(weeks)d tuần; nhiều nhất "
                "%(top)d trong một tuần."
            )
            % {
                "total": sum(c for _w, c in weeks),
                "weeks": len(weeks),
                "top": max((c for _w, c in weeks), default=0),
            },
        ),
    }


def _rate_summary(rated) -> str:
    if not rated:
        return _("Chưa có phản ánh nào được trả lời trong kỳ.")
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
    period, now = PeriodForm(request.GET or None).period(), timezone.now()
    if table in ("agency", "province"):
        header, rows = csv_export.report_table(
            queries.on_time_report(period, by=table, now=now)
        )
    elif table == "trend":
        header, rows = csv_export.trend_table(queries.overdue_trend(period))
    else:
        raise Http404
    return csv_export.csv_response(f"pakn-{table}-{period.slug}.csv", header, rows)


@login_required
@reads_reports
def drill_down(request):
    require_auditor(request)
    form = DrillDownForm(request.GET)
    if not form.is_valid():
        raise Http404
    petitions = _drill_down_petitions(form)
    if request.GET.get("format") == "csv":
        header, rows = csv_export.petitions_table(petitions)
        name = f"pakn-{form.cleaned_data['measure']}-{form.period().slug}.csv"
        return csv_export.csv_response(name, header, rows)
    page = Paginator(petitions, DRILL_DOWN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return _render(request, "workflow/drill_down.html", context)


def _drill_down_petitions(form):
    return queries.report_petitions(
        form.period(),
        measure=form.cleaned_data["measure"],
        now=timezone.now(),
        agency_id=form.cleaned_data["agency"] or None,
        province_id=form.cleaned_data["province"],
    )


@login_required
@reads_reports
def backdated(request):
    """Auditors: every staff entry made after its stated receipt moment."""
    require_auditor(request)
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
    return _render(request, "workflow/backdated.html", context)


@login_required
@reads_reports
def audit_case(request, tracking_code):
    require_auditor(request)
    petition = get_petition_for_staff(request, tracking_code)
    context = {
        "audit": queries.case_audit(petition),
        "petition": petition,
        "entry": receipts.entry_facts(petition),
        # Back to the drill-down list the auditor came from, page and filters kept.
        "back_url": _next_url(request, reverse("workflow:report")),
    }
    return _render(request, "workflow/audit_case.html", context)
