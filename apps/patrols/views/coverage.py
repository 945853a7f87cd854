"""巡查覆盖: a week's coverage per grid and per worker; the patrols behind it, as a list and one by one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.accounts.http import AuthenticatedRequest
from apps.core.numbers import remembered_about
from apps.core.pages import list_page
from apps.patrols.filters import PatrolFilter
from apps.patrols.forms import CoverageForm
from apps.patrols.models import Finding, Patrol, PatrolCheck, PatrolVisit
from apps.patrols.selectors import (
    GridCoverage,
    coverage,
    current_week_start,
    iso_week_label,
    totals,
    unpatrolled,
    worker_stats,
)
from apps.patrols.views.office import (
    finding_rows,
    may_read_findings,
    may_read_reports,
    require_reader,
)
from apps.regions.models import GridAssignment, Level, Point, Region

# Short pages: with the chart, a page of grids and one of workers stay within about five phone screens.
GRIDS_PER_PAGE = 15
WORKERS_PER_PAGE = 15
CHART_COMMUNITIES = 30
# A phone clock this far from the server's is worth showing (an offline patrol, or a wrong clock).
CLOCK_GAP = timedelta(minutes=1)
# What a week's coverage reads besides patrols (names of workers aside: a rename shows within a minute).
READS = (PatrolVisit, Finding, Point, Region, GridAssignment)


@login_required
@require_GET
def coverage_page(request: AuthenticatedRequest) -> HttpResponse:
    """The chosen week (default: this one) in the chosen region: grids worst first (or idle ones), workers.

    The idle grids are a filter of the one grid table (`idle=1`), not a second list of the same grids.
    """
    require_reader(may_read_reports(request.user))
    visible = Region.objects.visible_to(request.user)
    data = request.GET.copy()
    data.setdefault("week", iso_week_label(current_week_start()))
    form = CoverageForm(data, regions=visible.exclude(level=Level.GRID))
    form.is_valid()  # an invalid field falls back to its default below; its error is shown on the form
    week: date = form.cleaned_data.get("week") or current_week_start()
    region: Region | None = form.cleaned_data.get("region")
    grids = visible.grids() if region is None else visible.grids().filter(path__startswith=region.path)
    # Remembered for a minute until a patrol, visit, finding, point, grid or assignment changes: the week's
    # sums read every patrol visit of the territory.
    scope = f"{request.user.pk}:{week}:{region.pk if region else ''}"
    now = timezone.now()
    rows = remembered_about(Patrol, f"coverage:{scope}", lambda: coverage(grids, week), now=now, also=READS)
    workers = remembered_about(
        Patrol, f"workers:{scope}", lambda: worker_stats(grids, week), now=now, also=READS
    )
    idle = unpatrolled(rows)
    only_idle = request.GET.get("idle") == "1"
    keep = {"week": iso_week_label(week), **({"region": region.pk} if region else {})}
    context = {
        "form": form,
        "week": week,
        "week_end": week + timedelta(days=6),
        "week_label": iso_week_label(week),
        "is_this_week": week == current_week_start(),
        "links": _week_links(week, region),
        "page": Paginator(idle if only_idle else rows, GRIDS_PER_PAGE).get_page(request.GET.get("page")),
        "only_idle": only_idle,
        "query": urlencode({**keep, **({"idle": 1} if only_idle else {})}),
        "all_query": urlencode(keep),
        "totals": totals(rows),
        "idle": idle,
        "workers": Paginator(workers, WORKERS_PER_PAGE).get_page(request.GET.get("wpage")),
        "range": urlencode({"since": week.isoformat(), "until": (week + timedelta(days=6)).isoformat()}),
        "chart": _by_community(rows),
    }
    return TemplateResponse(request, "patrols/coverage.html", context)


def _week_links(week: date, region: Region | None) -> dict[str, str]:
    """The previous, next and current week, keeping the region."""
    base = reverse("patrols:coverage")
    keep = {"region": region.pk} if region else {}

    def link(start: date) -> str:
        return f"{base}?{urlencode({'week': iso_week_label(start), **keep})}"

    return {
        "previous": link(week - timedelta(days=7)),
        "next": link(week + timedelta(days=7)),
        "current": link(current_week_start()),
    }


def _by_community(rows: list[GridCoverage]) -> list[dict[str, Any]]:
    """Coverage per community (visited / due summed over its grids), worst first, for the bar chart."""
    sums: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        pair = sums.setdefault((row.street, row.community), [0, 0])
        pair[0] += row.visited
        pair[1] += row.due
    shown = [
        {"name": community, "street": street, "percent": int(visited * 100 / due)}
        for (street, community), (visited, due) in sums.items()
        if due
    ]
    return sorted(shown, key=lambda item: (item["percent"], item["street"], item["name"]))[:CHART_COMMUNITIES]


@login_required
@require_GET
def patrol_list(request: AuthenticatedRequest) -> HttpResponse:
    """Patrols in the user's territory, newest first, by day, place and worker."""
    require_reader(may_read_reports(request.user))
    patrols = Patrol.objects.visible_to(request.user).select_related("grid", "worker")
    filterset = PatrolFilter(request.GET or None, queryset=patrols, request=request)
    return list_page(request, template="patrols/patrol_list.html", filterset=filterset, decorate=_with_counts)


def _with_counts(patrols: list[Patrol]) -> list[Patrol]:
    """The shown patrols with their visit and finding counts, in one grouped query each.

    Counted for the page only: a GROUP BY over every patrol (with visits and findings joined) would read
    the whole history to show thirty rows.
    """
    ids = [patrol.pk for patrol in patrols]
    visits = dict(_counts(PatrolVisit.objects.filter(patrol__in=ids)))
    findings = dict(_counts(Finding.objects.filter(patrol__in=ids)))
    for patrol in patrols:
        patrol.visit_count = visits.get(patrol.pk, 0)  # type: ignore[attr-defined]
        patrol.finding_count = findings.get(patrol.pk, 0)  # type: ignore[attr-defined]
    return patrols


def _counts(rows: QuerySet) -> QuerySet:
    """(patrol id, number of rows) pairs."""
    return rows.order_by().values_list("patrol_id").annotate(n=Count("pk"))


@login_required
@require_GET
def patrol_detail(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    """One patrol: who, where, when (server and phone), each point walked with its results, its findings."""
    require_reader(may_read_findings(request.user))
    patrol = get_object_or_404(
        Patrol.objects.visible_to(request.user).select_related("grid", "worker"), uuid=uuid
    )
    checks = PatrolCheck.objects.select_related("item__template").order_by(
        "item__template__order", "item__order", "item__pk"
    )
    visits = list(
        PatrolVisit.objects.filter(patrol=patrol)
        .select_related("point")
        .prefetch_related(Prefetch("checks", queryset=checks))
    )
    findings = patrol.findings.select_related("category__parent", "point", "ticket")
    walked = {visit.point_id for visit in visits}
    context = {
        "patrol": patrol,
        "visits": visits,
        "findings": finding_rows(request.user, findings),
        "missed": [p for p in Point.objects.active().filter(grid=patrol.grid_id) if p.pk not in walked],
        "phone_start": _if_apart(patrol.client_started_at, patrol.started_at),
        "phone_end": _if_apart(patrol.client_ended_at, patrol.ended_at),
        "may_read_reports": may_read_reports(request.user),
    }
    return TemplateResponse(request, "patrols/patrol_detail.html", context)


def _if_apart(phone: Any, server: Any) -> Any:
    """The phone's time when it is known and differs from the server's by a minute or more."""
    if phone is None or server is None or abs(phone - server) < CLOCK_GAP:
        return None
    return phone
