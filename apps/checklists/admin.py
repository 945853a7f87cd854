"""Admin for standards (with items and requirements inline), campaigns, tasks and evidence."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from apps.checklists.models import (
    BinderExport,
    Campaign,
    Category,
    Evidence,
    Item,
    Requirement,
    Standard,
    Task,
)


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "document", "issued_on"]
    inlines = [CategoryInline]


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "category", "text_verified", "is_veto", "lead_unit_type"]
    list_filter = ["standard", "category", "text_verified", "is_veto"]
    search_fields = ["code", "title", "text"]
    list_select_related = ["category"]
    inlines = [RequirementInline]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "standard", "starts_on", "inspection_on", "status"]
    list_filter = ["kind", "status"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["item", "lead_unit", "deadline", "status", "campaign"]
    list_filter = ["campaign", "status"]
    search_fields = ["item__code", "item__title", "lead_unit__name"]
    list_select_related = ["item", "lead_unit", "campaign"]
    autocomplete_fields = ["supporting_units"]
    raw_id_fields = ["item", "lead_unit"]


def _checked_link(route: str, pk: int, label: str) -> str:
    """A link to the view that checks access (the admin's file widget would link the unserved `/media/`)."""
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', reverse(route, args=[pk]), label)


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "task", "requirement", "year", "kind", "status", "uploaded_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["task__item", "task__lead_unit", "requirement"]
    raw_id_fields = ["task", "requirement", "uploaded_by", "reviewed_by"]
    # Files come in only through the upload service (content checks); here they are opened, not replaced.
    exclude = ["file"]
    readonly_fields = ["file_link"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="文件")
    def file_link(self, evidence: Evidence) -> str:
        return (
            _checked_link("tasks:evidence_file", evidence.pk, evidence.original_name) if evidence.pk else "—"
        )


@admin.register(BinderExport)
class BinderExportAdmin(admin.ModelAdmin):
    list_display = ["campaign", "requested_by", "requested_at", "status", "progress", "file_count"]
    exclude = ["file"]
    readonly_fields = ["file_link", "progress", "file_count", "size", "error", "finished_at"]

    @admin.display(description="文件")
    def file_link(self, export: BinderExport) -> str:
        return _checked_link("binders:download", export.pk, "下载") if export.file else "—"
