"""The checklists' choices and the status groups its readers share: one definition each.

A leaf module (only Django imports it), so that the models, the QuerySets, the selectors and the views
can all name a status with the same enum member instead of repeating status strings.
"""

from __future__ import annotations

from django.db import models


class CampaignKind(models.TextChoices):
    CREATE = "create", "创建"
    REVIEW = "review", "复审"


class CampaignStatus(models.TextChoices):
    PREPARING = "preparing", "筹备中"
    ACTIVE = "active", "推进中"
    INSPECTED = "inspected", "已迎检"
    CLOSED = "closed", "已结束"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    IN_REVIEW = "in_review", "待审核"
    DONE = "done", "已完成"
    FAILED = "failed", "未达标"


class EvidenceStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "通过"
    RETURNED = "returned", "退回"


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    IMAGE = "image", "图片"
    WORD = "word", "Word/WPS 文字"
    EXCEL = "excel", "Excel/WPS 表格"
    OFD = "ofd", "OFD 版式文件"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


# Evidence that fills its slot (requirement × year): pending review or passed. Returned evidence leaves
# the slot to be redone.
SLOT_FILLED = (EvidenceStatus.PENDING, EvidenceStatus.APPROVED)
