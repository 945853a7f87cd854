"""Checklist writes: campaign work (tasks, evidence), standards, 迎检档案 exports; each checks its right."""

from apps.checklists.services.binders import binder_build, binder_request
from apps.checklists.services.campaigns import (
    BulkAssignment,
    campaign_create,
    default_lead_unit,
    evidence_review,
    evidence_review_many,
    evidence_upload,
    task_assign,
    task_mark_failed,
    task_refresh_status,
    task_set_progress,
    task_update,
    tasks_assign_category,
)
from apps.checklists.services.standards import standard_apply, standards_load_shipped

__all__ = [
    "BulkAssignment",
    "binder_build",
    "binder_request",
    "campaign_create",
    "default_lead_unit",
    "evidence_review",
    "evidence_review_many",
    "evidence_upload",
    "standard_apply",
    "standards_load_shipped",
    "task_assign",
    "task_mark_failed",
    "task_refresh_status",
    "task_set_progress",
    "task_update",
    "tasks_assign_category",
]
