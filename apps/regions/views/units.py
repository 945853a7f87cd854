"""Responsible-unit pages: list, detail and edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.core.pages import edit_page, list_page
from apps.core.permissions import require
from apps.regions.filters import UnitFilter
from apps.regions.forms import UnitForm
from apps.regions.models import Point, PointType, Unit
from apps.regions.permissions import can_change_unit
from apps.regions.services import unit_update


@login_required
def unit_list(request: AuthenticatedRequest) -> HttpResponse:
    """Units the user can see, filterable by type and text."""
    units = (
        Unit.objects.visible_to(request.user)
        .select_related("region")
        .annotate(point_count=Count("points"))
        .order_by("type", "name")
    )
    filterset = UnitFilter(request.GET or None, queryset=units, request=request)
    return list_page(request, template="regions/unit_list.html", filterset=filterset)


@login_required
def unit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One unit: contacts, points by type, pairings and staff."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user).select_related("region"), pk=pk)
    points = Point.objects.visible_to(request.user).filter(responsible_unit=unit)
    labels = dict(PointType.choices)
    context = {
        "unit": unit,
        "point_total": points.count(),
        "points_by_type": [
            (labels[row["type"]], row["n"])
            for row in points.values("type").annotate(n=Count("pk")).order_by("-n")
        ],
        "points": points.select_related("grid")[:20],
        "pairings": unit.pairings.select_related("region"),
        "staff": unit.staff.filter(is_active=True).order_by("username"),
        "can_change": can_change_unit(request.user, unit),
    }
    return TemplateResponse(request, "regions/unit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Edit a unit; its own staff may change only the contacts."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
    require(can_change_unit(request.user, unit))
    contacts_only = not request.user.manages_everything
    form = UnitForm(request.POST or None, instance=unit, contacts_only=contacts_only)
    if request.method == "POST" and form.is_valid():
        try:
            unit_update(unit=Unit.objects.get(pk=pk), actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "单位信息已保存。")
            return redirect("units:detail", pk=pk)
    return edit_page(request, obj=unit, form=form, heading="编辑单位信息", detail="units:detail")
