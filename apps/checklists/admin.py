"""Admin for standards (with items and requirements inline), campaigns, tasks and evidence.

A task's status, progress note and failure follow from its evidence and the office's decisions, and evidence
comes in and is reviewed only through the campaign services (content checks, reviewer, the task's status,
the unit's notice). So those are shown, not edited: tasks are assigned and changed through `task_assign` /
`task_update`, evidence is looked up only, and 迎检档案 exports are requested on the campaign page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from apps.accounts.http import signed_in_user
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
from apps.checklists.services import task_assign, task_update
from apps.core.admin import ServiceAdmin, service_call

# What the office may set on a task here; the rest is written by the services.
TASK_EDITABLE = ("lead_unit", "supporting_units", "responsible_person", "deadline")


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
class TaskAdmin(ServiceAdmin):
    """Tasks, assigned and changed through the task services; status and progress are theirs to write."""

    list_display = ["item", "lead_unit", "deadline", "status", "campaign"]
    list_filter = ["campaign", "status"]
    search_fields = ["item__code", "item__title", "lead_unit__name"]
    list_select_related = ["item", "lead_unit", "campaign"]
    autocomplete_fields = ["supporting_units"]
    raw_id_fields = ["item", "lead_unit"]
    readonly_fields = ["status", "progress_note", "failure_reason", "assigned_by", "created_at", "updated_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Task | None = None) -> list[str]:
        """A task's campaign and item are what it is; they are chosen when it is assigned."""
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "campaign", "item"] if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: Task, form: Any, change: bool) -> None:
        actor = signed_in_user(request)
        data = form.cleaned_data
        with service_call():
            if change:
                # The form has set its values on `obj` already: the service compares with the stored row.
                changed = {name: data[name] for name in TASK_EDITABLE if name in form.changed_data}
                task_update(task=Task.objects.get(pk=obj.pk), actor=actor, data=changed)
            else:
                saved = task_assign(
                    campaign=data["campaign"],
                    item=data["item"],
                    lead_unit=data["lead_unit"],
                    deadline=data["deadline"],
                    supporting_units=data["supporting_units"],
                    responsible_person=data["responsible_person"],
                    actor=actor,
                )
                obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The services set the supporting units (never the lead unit too); the form must not reset them."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


def _checked_link(route: str, pk: int, label: str) -> str:
    """A link to the view that checks access (the admin's file widget would link the unserved `/media/`)."""
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', reverse(route, args=[pk]), label)


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """Evidence, for looking things up: uploads and reviews go through the campaign pages."""

    list_display = ["original_name", "task", "requirement", "year", "kind", "status", "uploaded_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["task__item", "task__lead_unit", "requirement"]
    raw_id_fields = ["task", "requirement", "uploaded_by", "reviewed_by"]
    # Files come in only through the upload service (content checks); here they are opened, not replaced.
    exclude = ["file"]
    readonly_fields = ["file_link"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Evidence | None = None) -> bool:
        return False  # a review here would leave the reviewer empty and the task's status stale

    def has_delete_permission(self, request: HttpRequest, obj: Evidence | None = None) -> bool:
        return False  # the task's status counts this file

    @admin.display(description="文件")
    def file_link(self, evidence: Evidence) -> str:
        return (
            _checked_link("tasks:evidence_file", evidence.pk, evidence.original_name) if evidence.pk else "—"
        )


@admin.register(BinderExport)
class BinderExportAdmin(admin.ModelAdmin):
    """Exports, for looking things up: requested on the campaign page, built by the worker."""

    list_display = ["campaign", "requested_by", "requested_at", "status", "progress", "file_count"]
    exclude = ["file"]
    readonly_fields = ["file_link", "progress", "file_count", "size", "error", "finished_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a row made here is never queued for the worker

    def has_change_permission(self, request: HttpRequest, obj: BinderExport | None = None) -> bool:
        return False  # its status and file are the worker's to write

    @admin.display(description="文件")
    def file_link(self, export: BinderExport) -> str:
        return _checked_link("binders:download", export.pk, "下载") if export.file else "—"
