"""Writes for campaigns: opening one, task assignment (任务分解), progress notes, evidence upload and review.

Every service checks the actor's right itself, so pages, the API and commands share one set of rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.selectors import unit_staff
from apps.checklists.models import (
    Campaign,
    Category,
    Evidence,
    EvidenceStatus,
    Item,
    Requirement,
    Standard,
    Task,
    TaskStatus,
)
from apps.checklists.permissions import can_manage_campaign, can_update_progress, can_upload_evidence
from apps.checklists.progress import progress_of
from apps.checklists.uploads import CheckedFile, check_upload
from apps.notifications.services import notify
from apps.regions.models import Unit

OFFICE_ONLY = "只有创卫办可以执行此操作。"


def _require(allowed: bool, message: str = OFFICE_ONLY) -> None:
    """Raise 403 with a Chinese message unless allowed."""
    if not allowed:
        raise PermissionDenied(message)


def _check_deadline(campaign: Campaign, deadline: date) -> None:
    """A task's deadline lies inside the campaign, on or before the 迎检 date."""
    if deadline > campaign.inspection_on:
        raise ValidationError({"deadline": f"完成时限不能晚于迎检日期 {campaign.inspection_on:%Y-%m-%d}。"})
    if deadline < campaign.starts_on:
        raise ValidationError(
            {"deadline": f"完成时限不能早于创建周期开始日期 {campaign.starts_on:%Y-%m-%d}。"}
        )


@transaction.atomic
def campaign_create(
    *, actor: User, name: str, kind: str, standard: Standard, starts_on: date, inspection_on: date
) -> Campaign:
    """Open a 创建 or 复审 cycle on a standard (office only)."""
    _require(can_manage_campaign(actor))
    campaign = Campaign(
        name=name, kind=kind, standard=standard, starts_on=starts_on, inspection_on=inspection_on
    )
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def task_assign(
    *,
    campaign: Campaign,
    item: Item,
    lead_unit: Unit,
    deadline: date,
    actor: User,
    supporting_units: Iterable[Unit] = (),
    responsible_person: str = "",
) -> Task:
    """Assign an item of the campaign's standard to a lead unit, with supporting units and a deadline."""
    _require(can_manage_campaign(actor))
    supporting = [u for u in supporting_units if u.pk != lead_unit.pk]
    if Task.objects.filter(campaign=campaign, item=item, lead_unit=lead_unit).exists():
        raise ValidationError(f"条款 {item.code} 已分配给 {lead_unit}。")
    if not lead_unit.is_active:
        raise ValidationError({"lead_unit": f"{lead_unit} 已停用，不能牵头任务。"})
    _check_deadline(campaign, deadline)
    task = Task(
        campaign=campaign,
        item=item,
        lead_unit=lead_unit,
        deadline=deadline,
        responsible_person=responsible_person,
        assigned_by=actor,
    )
    task.full_clean()
    task.save()
    task.supporting_units.set(supporting)
    return task


@transaction.atomic
def task_update(*, task: Task, actor: User, data: dict[str, Any]) -> Task:
    """Change a task's lead unit, supporting units, responsible person or deadline."""
    _require(can_manage_campaign(actor))
    supporting = data.pop("supporting_units", None)
    previous_lead = task.lead_unit_id
    for name, value in data.items():
        setattr(task, name, value)
    if task.lead_unit_id != previous_lead and not task.lead_unit.is_active:
        raise ValidationError({"lead_unit": f"{task.lead_unit} 已停用，不能牵头任务。"})
    _check_deadline(task.campaign, task.deadline)
    task.full_clean()
    task.save()
    if supporting is None:
        supporting = task.supporting_units.all()
    # A unit is lead or supporter, never both.
    task.supporting_units.set([u for u in supporting if u.pk != task.lead_unit_id])
    return task


@dataclass
class BulkAssignment:
    """What a category-wide assignment did: tasks made, and items left alone with the reason."""

    created: list[Task] = field(default_factory=list)
    skipped: list[tuple[Item, str]] = field(default_factory=list)


def default_lead_unit(item: Item) -> Unit | None:
    """The one active city-level unit of the item's default lead type, if exactly one exists."""
    unit: Unit | None = Unit.objects.the_one_of_type(item.effective_lead_unit_type)
    return unit


@transaction.atomic
def tasks_assign_category(
    *, campaign: Campaign, category: Category, deadline: date, actor: User
) -> BulkAssignment:
    """Assign every not-yet-assigned item of a category to its default lead unit type's unit, in one go."""
    _require(can_manage_campaign(actor))
    if category.standard_id != campaign.standard_id:
        raise ValidationError("该大类不属于本创建周期执行的标准。")
    _check_deadline(campaign, deadline)
    assigned = set(Task.objects.filter(campaign=campaign).values_list("item_id", flat=True))
    result = BulkAssignment()
    for item in category.items.select_related("category").order_by("order"):
        if item.pk in assigned:
            result.skipped.append((item, "已有任务"))
            continue
        unit = default_lead_unit(item)
        if unit is None:
            type_label = item.get_lead_unit_type_display() or item.category.get_lead_unit_type_display()
            result.skipped.append((item, f"找不到唯一的「{type_label or '未设定'}」类市级单位，请单独分配"))
            continue
        result.created.append(
            task_assign(campaign=campaign, item=item, lead_unit=unit, deadline=deadline, actor=actor)
        )
    return result


@transaction.atomic
def task_set_progress(*, task: Task, actor: User, note: str) -> Task:
    """Record the lead unit's progress note (进展说明)."""
    _require(can_update_progress(actor, task), "只有牵头单位可以填写进展。")
    task.progress_note = note.strip()
    task.save(update_fields=["progress_note", "updated_at"])
    return task


@transaction.atomic
def task_mark_failed(*, task: Task, actor: User, reason: str) -> Task:
    """The office judges a task 未达标 with a reason; the unit's next upload puts it back in progress."""
    _require(can_manage_campaign(actor))
    if not reason.strip():
        raise ValidationError({"failure_reason": "请填写未达标原因。"})
    task.status = TaskStatus.FAILED
    task.failure_reason = reason.strip()[:300]
    task.save(update_fields=["status", "failure_reason", "updated_at"])
    return task


def task_refresh_status(task: Task, *, clear_failure: bool = False) -> Task:
    """Set the task's status from its evidence; 未达标 holds until the unit uploads again."""
    if task.status == TaskStatus.FAILED and not clear_failure:
        return task
    task.status = progress_of([task])[task.pk].status()
    task.failure_reason = ""
    task.save(update_fields=["status", "failure_reason", "updated_at"])
    return task


def _check_slot(task: Task, requirement: Requirement, year: int | None) -> None:
    """The requirement belongs to the task's item; a year is given exactly when it is per year."""
    if requirement.item_id != task.item_id:
        raise ValidationError({"requirement": "该材料要求不属于本任务的条款。"})
    if requirement.per_year and year not in task.campaign.years:
        years = "、".join(str(y) for y in task.campaign.years)
        raise ValidationError({"year": f"「{requirement.name}」须按年度提供，请选择年度（{years}）。"})
    if not requirement.per_year and year is not None:
        raise ValidationError({"year": f"「{requirement.name}」不分年度，请不要选择年度。"})


def evidence_upload(
    *, task: Task, requirement: Requirement, year: int | None, files: Sequence[UploadedFile], actor: User
) -> list[Evidence]:
    """Store several files for one requirement slot, all or none: every file is checked before any is kept."""
    from django.conf import settings

    _require(can_upload_evidence(actor, task), "只有牵头单位可以上传佐证材料。")
    _check_slot(task, requirement, year)
    if not files:
        raise ValidationError({"files": "请选择要上传的文件。"})
    if len(files) > settings.EVIDENCE_MAX_FILES_PER_UPLOAD:
        raise ValidationError({"files": f"一次最多上传 {settings.EVIDENCE_MAX_FILES_PER_UPLOAD} 个文件。"})
    checked = [check_upload(f) for f in files]
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            for item in checked:
                stored.append(_store(task, requirement, year, item, actor))
            task_refresh_status(task, clear_failure=True)
    except BaseException:
        # The database rolled back; the files already written to storage must go too.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return stored


def _store(
    task: Task, requirement: Requirement, year: int | None, checked: CheckedFile, actor: User
) -> Evidence:
    """Write one checked file and its row; the stored name's extension comes from the content."""
    evidence = Evidence(
        task=task,
        requirement=requirement,
        year=year,
        original_name=checked.original_name,
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    checked.upload.seek(0)
    evidence.file.save(f"upload.{checked.extension}", checked.upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_review(*, evidence: Evidence, actor: User, approve: bool, comment: str = "") -> Evidence:
    """Approve (通过) or return (退回, with a comment) one pending piece of evidence."""
    return evidence_review_many(evidence=[evidence], actor=actor, approve=approve, comment=comment)[0]


@transaction.atomic
def evidence_review_many(
    *, evidence: Sequence[Evidence], actor: User, approve: bool, comment: str = ""
) -> list[Evidence]:
    """Review several pieces at once with the same decision; all must still be pending, or none changes."""
    _require(can_manage_campaign(actor), "只有创卫办可以审核佐证材料。")
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": "退回时请填写意见，告诉责任单位要补什么。"})
    if not evidence:
        raise ValidationError("请至少选择一份材料。")
    ids = [e.pk for e in evidence]
    locked = list(
        Evidence.objects.select_for_update().filter(pk__in=ids).select_related("task__campaign", "task__item")
    )
    done = [e for e in locked if e.status != EvidenceStatus.PENDING]
    if done:
        names = "、".join(e.original_name for e in done[:3])
        raise ValidationError(f"{names} 已经审核过，请刷新后再试。")
    now = timezone.now()
    for item in locked:
        item.status = EvidenceStatus.APPROVED if approve else EvidenceStatus.RETURNED
        item.review_comment = comment[:500]
        item.reviewed_by = actor
        item.reviewed_at = now
        item.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    for task in {e.task_id: e.task for e in locked}.values():
        task_refresh_status(task)
    if not approve:
        _tell_returned(locked, comment, now)
    return locked


def _tell_returned(returned: Sequence[Evidence], comment: str, now: datetime) -> None:
    """The lead unit's staff learn, per task, which files came back and what to supply instead."""
    by_task: dict[int, list[Evidence]] = {}
    for piece in returned:
        by_task.setdefault(piece.task_id, []).append(piece)
    for pieces in by_task.values():
        task = pieces[0].task
        names = "、".join(p.original_name for p in pieces[:5]) + (" 等" if len(pieces) > 5 else "")
        notify(
            recipients=unit_staff(task.lead_unit_id),
            kind="evidence_returned",
            title=f"佐证材料被退回：{task.item.code} {task.item.title}",
            body=f"{names}。审核意见：{comment}"[:2000],
            link=reverse("tasks:detail", args=[task.pk]),
            dedupe_key=f"evidence-returned-{min(p.pk for p in pieces)}",  # a piece is returned only once
            at=now,
        )
