"""The standard as data (版本 → 大类 → 条款 → 佐证材料要求), campaigns, tasks, evidence and binder exports.

Links from items to quantitative indicators and to patrol check items are foreign keys that point *here*
from the indicators and patrols apps, so this app depends on neither.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from apps.checklists.choices import (
    SLOT_FILLED,
    CampaignKind,
    CampaignStatus,
    EvidenceStatus,
    ExportStatus,
    FileKind,
    TaskStatus,
)
from apps.checklists.querysets import (
    BinderExportQuerySet,
    CampaignQuerySet,
    EvidenceQuerySet,
    StandardQuerySet,
    TaskQuerySet,
)
from apps.core.models import TimeStampedModel
from apps.regions.models import Unit, UnitType

# The choices live in apps/checklists/choices.py (the QuerySets need them too); they are imported here so that
# `from apps.checklists.models import CampaignKind` keeps working.
__all__ = [
    "SLOT_FILLED",
    "BinderExport",
    "Campaign",
    "CampaignKind",
    "CampaignStatus",
    "Category",
    "Evidence",
    "EvidenceStatus",
    "ExportStatus",
    "FileKind",
    "Item",
    "Requirement",
    "Standard",
    "Task",
    "TaskStatus",
    "evidence_upload_to",
]


class Standard(TimeStampedModel):
    """One version of the national standard, or a province's 细则 built on it."""

    code = models.CharField("版本编码", max_length=32, unique=True, help_text="如 NHC2021")
    name = models.CharField("标准名称", max_length=100)
    document = models.CharField("发文文号", max_length=60, blank=True)
    issued_on = models.DateField("发布日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = "创建标准"
        verbose_name_plural = "创建标准"
        ordering = ["-issued_on", "code"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A 大类 (方面) of a standard, with the unit type that usually leads its items."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField("大类编码", max_length=16)
    name = models.CharField("大类名称", max_length=60)
    order = models.PositiveSmallIntegerField("顺序")
    lead_unit_type = models.CharField("默认牵头单位类型", max_length=20, choices=UnitType.choices, blank=True)

    class Meta:
        verbose_name = "标准大类"
        verbose_name_plural = "标准大类"
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="category_code_per_standard")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Item(models.Model):
    """A 条款 of a standard; `text_verified` is False where only its topic is known, not its wording."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(
        Category, verbose_name="大类", on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField("条款编码", max_length=32)
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("条款标题", max_length=100)
    text = models.TextField("条款内容", blank=True)
    text_verified = models.BooleanField("原文已核实", default=False)
    is_veto = models.BooleanField("必备条件(一票否决)", default=False)
    lead_unit_type = models.CharField(
        "默认牵头单位类型", max_length=20, choices=UnitType.choices, blank=True, help_text="留空则按大类"
    )
    source = models.CharField("来源", max_length=200, blank=True)

    class Meta:
        verbose_name = "标准条款"
        verbose_name_plural = "标准条款"
        ordering = ["standard", "order"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="item_code_per_standard")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        """An item sits in a category of its own standard."""
        if self.category_id and self.standard_id and self.category.standard_id != self.standard_id:
            raise ValidationError({"category": "条款所属大类须属于同一标准版本。"})

    @property
    def effective_lead_unit_type(self) -> str:
        """The item's own default lead unit type, else its category's."""
        return self.lead_unit_type or self.category.lead_unit_type


class Requirement(models.Model):
    """A piece of evidence (佐证材料) an item asks for; `per_year` ones are due for each campaign year."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("材料名称", max_length=100)
    description = models.CharField("说明", max_length=300, blank=True)
    per_year = models.BooleanField("按年度提供", default=False)

    class Meta:
        verbose_name = "佐证材料要求"
        verbose_name_plural = "佐证材料要求"
        ordering = ["item", "order"]
        constraints = [models.UniqueConstraint(fields=["item", "name"], name="requirement_name_per_item")]

    def __str__(self) -> str:
        return self.name


class Campaign(TimeStampedModel):
    """A 创建 or 复审 cycle on one standard version, up to its 迎检 date."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=10, choices=CampaignKind.choices, default=CampaignKind.CREATE)
    standard = models.ForeignKey(
        Standard, verbose_name="执行标准", on_delete=models.PROTECT, related_name="campaigns"
    )
    starts_on = models.DateField("开始日期")
    inspection_on = models.DateField("迎检日期")
    status = models.CharField(
        "状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "创建周期"
        verbose_name_plural = "创建周期"
        ordering = ["-inspection_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection_on__gte=F("starts_on")), name="campaign_inspection_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The 迎检 date cannot come before the start."""
        if self.starts_on and self.inspection_on and self.inspection_on < self.starts_on:
            raise ValidationError({"inspection_on": "迎检日期不能早于开始日期。"})

    @property
    def years(self) -> list[int]:
        """The calendar years the campaign covers; per-year evidence is due for each of them."""
        return list(range(self.starts_on.year, self.inspection_on.year + 1))

    def days_to_inspection(self, today: date) -> int:
        """Days left until the 迎检 date (negative once it has passed)."""
        return (self.inspection_on - today).days


class Task(TimeStampedModel):
    """An item assigned to a lead unit (牵头单位), with supporting units and a deadline."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="创建周期", on_delete=models.CASCADE, related_name="tasks"
    )
    item = models.ForeignKey(Item, verbose_name="条款", on_delete=models.PROTECT, related_name="tasks")
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="lead_tasks"
    )
    supporting_units = models.ManyToManyField(
        Unit, verbose_name="配合单位", related_name="supporting_tasks", blank=True
    )
    responsible_person = models.CharField("责任人", max_length=30, blank=True)
    deadline = models.DateField("完成时限")
    status = models.CharField(
        "状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress_note = models.TextField("进展说明", blank=True)
    failure_reason = models.CharField("未达标原因", max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分解人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["deadline", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "item", "lead_unit"], name="task_item_lead_once")
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="task_campaign_status_idx"),
            models.Index(fields=["lead_unit", "deadline"], name="task_lead_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} · {self.lead_unit}"

    def clean(self) -> None:
        """The item must come from the campaign's standard."""
        if self.item_id and self.campaign_id and self.item.standard_id != self.campaign.standard_id:
            raise ValidationError({"item": "条款须属于该创建周期执行的标准。"})

    def is_overdue(self, today: date) -> bool:
        """Deadline passed and not done."""
        return self.deadline < today and self.status != TaskStatus.DONE


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """Store under the campaign and task with a random name; the extension comes from the checked content."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"evidence/{instance.task.campaign_id}/{instance.task_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """One uploaded file backing a task's requirement (for a year where it applies), with its review."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="evidence")
    requirement = models.ForeignKey(
        Requirement, verbose_name="材料要求", on_delete=models.PROTECT, related_name="evidence"
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    file = models.FileField("文件", upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    kind = models.CharField("文件类型", max_length=8, choices=FileKind.choices)
    size = models.PositiveBigIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    status = models.CharField(
        "审核状态", max_length=10, choices=EvidenceStatus.choices, default=EvidenceStatus.PENDING
    )
    review_comment = models.CharField("审核意见", max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["-uploaded_at"]
        indexes = [
            models.Index(fields=["status", "uploaded_at"], name="evidence_status_idx"),
            models.Index(fields=["task", "requirement", "year"], name="evidence_slot_idx"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        """The stored file's extension, without the dot."""
        return PurePosixPath(self.file.name).suffix.lstrip(".")


class BinderExport(models.Model):
    """A 迎检档案 ZIP of a campaign's approved evidence, built by a Celery worker."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="创建周期", on_delete=models.CASCADE, related_name="binder_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    file = models.FileField("文件", upload_to="binders/", max_length=255, blank=True)
    file_count = models.PositiveIntegerField("文件数", default=0)
    size = models.PositiveBigIntegerField("大小(字节)", default=0)
    error = models.TextField("错误", blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = BinderExportQuerySet.as_manager()

    class Meta:
        verbose_name = "迎检档案导出"
        verbose_name_plural = "迎检档案导出"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.campaign} @ {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        """Done or failed: nothing more will happen to it."""
        return self.status in {ExportStatus.DONE, ExportStatus.FAILED}
