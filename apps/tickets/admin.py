"""Admin for problem categories (time limits are edited here), routing rules, and a read-only view of tickets.

Tickets and their timeline are read-only: every change of a ticket goes through the ticket pages, whose
services check the person's right and write the timeline; an edit here would do neither.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from apps.tickets.models import ProblemCategory, RoutingRule, Ticket, TicketEvent

CATEGORY_FIELDS = (
    "code",
    "name",
    "order",
    "deadline_value",
    "deadline_unit",
    "default_unit_type",
    "is_active",
)


def _main_categories() -> list[tuple[str, str]]:
    return [(str(c.pk), f"{c.code} {c.name}") for c in ProblemCategory.objects.filter(parent__isnull=True)]


class FamilyFilter(admin.SimpleListFilter):
    """A 大类 with its 小类, or only the 大类."""

    title = "大类"
    parameter_name = "family"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("top", "（只看大类）"), *_main_categories()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "top":
            return queryset.filter(parent__isnull=True)
        if value and value.isdigit():
            return queryset.filter(Q(parent_id=int(value)) | Q(pk=int(value)))
        return queryset


class CategoryFamilyFilter(admin.SimpleListFilter):
    """Rows (tickets, routing rules) whose category is a 大类 or one of its 小类."""

    title = "大类"
    parameter_name = "family"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return _main_categories()

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(Q(category_id=int(value)) | Q(category__parent_id=int(value)))
        return queryset


class SubcategoryInline(admin.TabularInline):
    """The 小类 of a 大类, with their own time limits (empty: the 大类's applies)."""

    model = ProblemCategory
    fk_name = "parent"
    fields = CATEGORY_FIELDS
    extra = 0
    verbose_name = "小类"
    verbose_name_plural = "小类（处置时限留空则沿用大类）"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProblemCategory]:
        return super().get_queryset(request).select_related("parent")


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(admin.ModelAdmin):
    """Two-level categories; the office tunes time limits and default unit types to the city's 细则."""

    list_display = [
        "code",
        "name",
        "parent",
        "deadline_value",
        "deadline_unit",
        "effective_limit",
        "default_unit_type",
        "is_active",
    ]
    list_editable = ["deadline_value", "deadline_unit", "default_unit_type", "is_active"]
    list_display_links = ["code", "name"]
    list_filter = [FamilyFilter, "deadline_unit", "default_unit_type", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    fields = ("parent", *CATEGORY_FIELDS)
    inlines = [SubcategoryInline]
    ordering = ["code"]

    @admin.display(description="实际时限")
    def effective_limit(self, obj: ProblemCategory) -> str:
        """The limit that applies, the 大类's when the 小类 has none."""
        return obj.time_limit_label

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":  # only a 大类 can be a parent: two levels
            kwargs["queryset"] = ProblemCategory.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_inlines(self, request: HttpRequest, obj: ProblemCategory | None) -> list[Any]:
        """Only a 大类 has 小类 to show."""
        return [] if obj is not None and obj.parent_id else list(self.inlines)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Category × region → unit; the deepest region wins, then a 小类 over its 大类."""

    list_display = ["category", "region", "unit", "note", "updated_at"]
    list_filter = ["unit", CategoryFamilyFilter]
    list_select_related = ["category__parent", "region", "unit"]
    search_fields = ["category__name", "category__code", "region__name", "unit__name", "note"]
    autocomplete_fields = ["category", "region", "unit"]


class ReadOnlyMixin:
    """Viewable only: no add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TicketEventInline(ReadOnlyMixin, admin.TabularInline):
    """The ticket's timeline."""

    model = TicketEvent
    fields = readonly_fields = ("at", "action", "actor", "from_status", "to_status", "unit", "comment")
    extra = 0


@admin.register(Ticket)
class TicketAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every ticket, for looking things up; changes are made on the ticket pages."""

    list_display = ["number", "title", "status", "supervision", "responsible_unit", "deadline", "created_at"]
    list_filter = [
        "status",
        "supervision",
        "source",
        CategoryFamilyFilter,
        "responsible_unit",
    ]
    list_select_related = ["responsible_unit"]
    search_fields = ["number", "title"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # a second COUNT(*) over a large table on every filtered page
    inlines = [TicketEventInline]


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every step of every ticket, newest first."""

    list_display = ["ticket", "at", "action", "actor", "unit", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["ticket", "actor", "unit"]
    search_fields = ["ticket__number"]
    # Newest first by id: events are appended in time order, and the primary key needs no sort of the table.
    ordering = ["-pk"]
    show_full_result_count = False
