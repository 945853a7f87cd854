"""Admin for territory, units, points, grid assignments and pairings.

Grid assignments and pairings decide who sees which territory: adding or removing one goes through the
territory services, which check the actor's right and drop the cached scope. Neither is edited in place
(a move is a removal and an addition), so there is no change path that could skip them.
"""

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from import_export.admin import ImportExportModelAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from apps.accounts.http import signed_in_user
from apps.core.admin import ServiceAdmin, service_call
from apps.regions.models import GridAssignment, Pairing, Point, Region, Unit
from apps.regions.resources import PointResource, UnitResource
from apps.regions.services import (
    grid_assign_worker,
    grid_unassign_worker,
    pairing_create,
    pairing_remove,
    region_relevel,
)


@admin.register(Region)
class RegionAdmin(TreeAdmin):
    """The territory tree, with drag-and-drop moves."""

    form = movenodeform_factory(Region, exclude=["level"])
    list_display = ["name", "code", "level"]
    list_filter = ["level"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # The level follows from the depth the node lands at; treebeard has set depth by now for moves.
        super().save_model(request, obj, form, change)
        region_relevel(region=obj)


@admin.register(Unit)
class UnitAdmin(ImportExportModelAdmin):
    """Responsible units; import/export through Excel."""

    resource_classes = [UnitResource]
    list_display = [
        "name",
        "type",
        "principal_name",
        "principal_phone",
        "liaison_name",
        "liaison_phone",
        "is_active",
    ]
    list_filter = ["type", "is_active"]
    search_fields = ["name", "short_name", "principal_name", "liaison_name"]
    autocomplete_fields = ["region"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Point)
class PointAdmin(ImportExportModelAdmin):
    """Points; import/export through Excel."""

    resource_classes = [PointResource]
    list_display = ["code", "name", "type", "grid", "responsible_unit", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["code", "name", "address"]
    autocomplete_fields = ["grid", "responsible_unit"]
    list_select_related = ["grid", "responsible_unit"]


@admin.register(GridAssignment)
class GridAssignmentAdmin(ServiceAdmin):
    """Which grid worker patrols which grid; added and removed through the grid-worker services."""

    list_display = ["grid", "worker", "assigned_at"]
    search_fields = ["grid__name", "worker__username", "worker__real_name"]
    autocomplete_fields = ["grid", "worker"]
    list_select_related = ["grid", "worker"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: GridAssignment, form: Any, change: bool) -> None:
        with service_call():
            saved = grid_assign_worker(grid=obj.grid, worker=obj.worker, actor=signed_in_user(request))
        obj.pk, obj.assigned_at = saved.pk, saved.assigned_at

    def delete_model(self, request: HttpRequest, obj: GridAssignment) -> None:
        with service_call():
            grid_unassign_worker(grid=obj.grid, worker=obj.worker, actor=signed_in_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[GridAssignment]) -> None:
        for assignment in queryset.select_related("grid", "worker"):
            self.delete_model(request, assignment)


@admin.register(Pairing)
class PairingAdmin(ServiceAdmin):
    """包保领导, 挂钩单位 and 网格长; added and removed through the pairing services."""

    list_display = ["region", "kind", "user", "unit", "note"]
    list_filter = ["kind"]
    search_fields = ["region__name", "user__real_name", "unit__name"]
    autocomplete_fields = ["region", "user", "unit"]
    list_select_related = ["region", "user", "unit"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Pairing, form: Any, change: bool) -> None:
        with service_call():
            saved = pairing_create(
                region=obj.region,
                kind=obj.kind,
                user=obj.user,
                unit=obj.unit,
                note=obj.note,
                actor=signed_in_user(request),
            )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Pairing) -> None:
        with service_call():
            pairing_remove(pairing=obj, actor=signed_in_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Pairing]) -> None:
        for pairing in queryset.select_related("region", "user", "unit"):
            self.delete_model(request, pairing)
