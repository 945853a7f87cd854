"""Admin for check templates (items edited inline) and a read-only view of patrols and findings.

Patrols and findings come from the phone through their services, which check the worker's grid and open the
ticket; an edit here would do neither, so they are looked up here, not changed. Items are not deleted here
either: findings and check results point at them (switch an item off instead).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.patrols.models import CheckItem, CheckTemplate, Finding, FindingPhoto, Patrol, PatrolVisit


class ReadOnlyMixin:
    """Viewable only: no add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CheckItemInline(admin.TabularInline):
    """The template's items; switched off rather than deleted."""

    model = CheckItem
    fields = ("order", "code", "text", "problem", "category", "standard_item", "deduction", "is_active")
    autocomplete_fields = ["category", "standard_item"]
    extra = 0

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CheckTemplate)
class CheckTemplateAdmin(admin.ModelAdmin):
    """巡查模板 with their items inline."""

    list_display = ["name", "code", "point_types", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["code", "name"]
    inlines = [CheckItemInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PatrolVisitInline(ReadOnlyMixin, admin.TabularInline):
    """The points walked."""

    model = PatrolVisit
    fields = readonly_fields = ("point", "visited_at")
    extra = 0


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every patrol, for looking things up."""

    list_display = ["grid", "worker", "started_at", "ended_at", "client_started_at"]
    list_select_related = ["grid", "worker"]
    search_fields = ["uuid", "grid__name", "worker__username", "worker__real_name"]
    date_hierarchy = "started_at"
    show_full_result_count = False
    exclude = ["track"]  # thousands of positions are no use as text
    inlines = [PatrolVisitInline]


class FindingPhotoInline(ReadOnlyMixin, admin.TabularInline):
    """The finding's photos (the files are served by the findings page, to those who may see them)."""

    model = FindingPhoto
    fields = readonly_fields = ("kind", "width", "height", "taken_at", "lat", "lng", "uploaded_at")
    extra = 0


@admin.register(Finding)
class FindingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every finding, for looking things up; its ticket is handled on the ticket pages."""

    list_display = ["created_at", "grid", "point", "category", "outcome", "ticket", "worker"]
    list_filter = ["outcome", "category"]
    list_select_related = ["grid", "point", "category__parent", "ticket", "worker"]
    search_fields = ["uuid", "description", "grid__name", "point__name", "ticket__number"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [FindingPhotoInline]
