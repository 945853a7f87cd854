"""Point pages: list, detail and edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.core.pages import edit_page, list_page
from apps.core.permissions import require
from apps.regions.filters import PointFilter
from apps.regions.forms import PointForm
from apps.regions.models import Point, Region, Unit
from apps.regions.permissions import can_change_point
from apps.regions.services import point_update


@login_required
def point_list(request: AuthenticatedRequest) -> HttpResponse:
    """Points the user can see, filterable by type, region, unit and text."""
    points = Point.objects.visible_to(request.user).select_related("grid", "responsible_unit")
    filterset = PointFilter(request.GET or None, queryset=points, request=request)
    return list_page(request, template="regions/point_list.html", filterset=filterset)


@login_required
def point_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One point with its grid, its place in the territory and its responsible unit."""
    point = get_object_or_404(
        Point.objects.visible_to(request.user).select_related("grid", "responsible_unit"), pk=pk
    )
    context = {
        "point": point,
        "territory": [*Region.objects.ancestors_of(point.grid), point.grid],
        "can_change": can_change_point(request.user, point),
    }
    return TemplateResponse(request, "regions/point_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Edit a point in the editor's territory."""
    point = get_object_or_404(Point.objects.visible_to(request.user).select_related("grid"), pk=pk)
    require(can_change_point(request.user, point))
    grids = Region.objects.visible_to(request.user).grids()
    form = PointForm(
        request.POST or None,
        instance=point,
        grids=grids,
        units=Unit.objects.visible_to(request.user).active(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            point_update(point=Point.objects.get(pk=pk), actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            form.add_error("grid", "您不能把点位移到辖区以外的网格。")
        else:
            messages.success(request, f"已保存点位「{form.cleaned_data['name']}」。")
            return redirect("points:detail", pk=pk)
    return edit_page(request, obj=point, form=form, heading="编辑点位", detail="points:detail")
