"""Region pages: list, detail (children, points, workers, pairings), edit and grid-worker assignment."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role, User
from apps.core.htmx import wants_fragment
from apps.core.pages import edit_page, list_page
from apps.core.permissions import require
from apps.regions.filters import RegionFilter
from apps.regions.forms import RegionForm
from apps.regions.models import Point, Region
from apps.regions.permissions import can_change_region
from apps.regions.selectors import structure_overview
from apps.regions.services import grid_assign_worker, grid_unassign_worker, region_update


@login_required
def region_list(request: AuthenticatedRequest) -> HttpResponse:
    """Regions the user can see, filterable by level, parent, text and staffing, under their numbers."""
    regions = Region.objects.visible_to(request.user).order_by("path")
    filterset = RegionFilter(request.GET or None, queryset=regions, request=request)

    def with_point_counts(rows: list[Region]) -> list[RegionRow]:
        return region_rows(request.user, rows)

    # The structure in numbers heads the full page only; an htmx swap replaces just the rows.
    context = {} if wants_fragment(request) else {"structure": structure_overview(request.user)}
    return list_page(
        request,
        template="regions/region_list.html",
        filterset=filterset,
        context=context,
        decorate=with_point_counts,
    )


@dataclass(frozen=True, slots=True)
class RegionRow:
    """A region as lists show it, with the visible points anywhere in its subtree."""

    region: Region
    point_count: int


def region_rows(user: User, regions: list[Region]) -> list[RegionRow]:
    """Each region with its visible point count (points hang off grids), in one query per tree depth."""
    counts = Point.objects.visible_to(user).count_under(regions)
    return [RegionRow(region=region, point_count=counts.get(region.pk, 0)) for region in regions]


@login_required
def region_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One region: its place in the tree, children, points, workers and pairings."""
    region: Region = get_object_or_404(Region.objects.visible_to(request.user), pk=pk)
    visible = Region.objects.visible_to(request.user)
    ancestors = list(Region.objects.ancestors_of(region))
    visible_ancestor_ids = set(visible.filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True))
    children = region_rows(
        request.user,
        list(
            visible.filter(path__startswith=region.path, depth=region.depth + 1).annotate(
                worker_count=Count("assignments")
            )
        ),
    )
    points = (
        Point.objects.visible_to(request.user).in_region(region).select_related("grid", "responsible_unit")
    )
    context = {
        "region": region,
        "ancestors": [(a, a.pk in visible_ancestor_ids) for a in ancestors],
        "children": children,
        "point_total": points.count(),
        "points": points[:20] if region.is_grid else [],
        "assignments": region.assignments.select_related("worker") if region.is_grid else [],
        "pairings": region.pairings.select_related("user", "unit"),
        "can_change": can_change_region(request.user, region),
    }
    return TemplateResponse(request, "regions/region_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def region_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Rename a region or set its centre and boundary."""
    region: Region = get_object_or_404(Region.objects.visible_to(request.user), pk=pk)
    require(can_change_region(request.user, region))
    form = RegionForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        try:
            region_update(region=Region.objects.get(pk=pk), actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存「{form.cleaned_data['name']}」。")
            return redirect("regions:detail", pk=pk)
    return edit_page(request, obj=region, form=form, heading="编辑区域", detail="regions:detail")


@login_required
@require_POST
def region_workers(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Assign or remove a grid worker on a grid (htmx swaps the worker panel)."""
    grid: Region = get_object_or_404(Region.objects.visible_to(request.user).grids(), pk=pk)
    require(can_change_region(request.user, grid))
    username = request.POST.get("username", "").strip()
    worker = User.objects.filter(
        role_grants__role=Role.GRID_WORKER, is_active=True, username=username
    ).first()
    error = ""
    if worker is None:
        error = f"找不到用户名为「{username}」的网格员。" if username else "请输入网格员的用户名。"
    elif request.POST.get("action") == "remove":
        grid_unassign_worker(grid=grid, worker=worker, actor=request.user)
    else:
        grid_assign_worker(grid=grid, worker=worker, actor=request.user)
    context = {
        "region": grid,
        "assignments": grid.assignments.select_related("worker"),
        "can_change": True,
        "worker_error": error,
    }
    return TemplateResponse(request, "regions/region_detail.html#workers", context)
