"""Admin for territory, units, points, grid assignments and pairings."""

from django.contrib import admin
from django.db import models
from import_export.admin import ImportExportModelAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from apps.regions.models import GridAssignment, Pairing, Point, Region, Unit
from apps.regions.resources import PointResource, UnitResource
from apps.regions.services import region_relevel


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
class GridAssignmentAdmin(admin.ModelAdmin):
    """Which grid worker patrols which grid."""

    list_display = ["grid", "worker", "assigned_at"]
    search_fields = ["grid__name", "worker__username", "worker__real_name"]
    autocomplete_fields = ["grid", "worker"]
    list_select_related = ["grid", "worker"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    """包保领导, 挂钩单位 and 网格长."""

    list_display = ["region", "kind", "user", "unit", "note"]
    list_filter = ["kind"]
    search_fields = ["region__name", "user__real_name", "unit__name"]
    autocomplete_fields = ["region", "user", "unit"]
    list_select_related = ["region", "user", "unit"]
