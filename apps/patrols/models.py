"""Check templates per point type, patrols with their visits and results, and findings with photos.

Patrols, findings and photos carry the UUID the phone generated, so a request that is sent again (after a
lost answer or an offline queue replay) finds the stored record instead of writing a second one.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.checklists.models import Item
from apps.patrols.choices import CheckResult, FindingPhotoKind, Outcome
from apps.patrols.querysets import FindingQuerySet, PatrolQuerySet
from apps.regions.models import Point, PointType, Region, coordinate_field
from apps.tickets.models import ProblemCategory, Ticket

# The choices live in apps/patrols/choices.py (the QuerySets need them too); they are imported here so that
# `from apps.patrols.models import CheckResult` keeps working.
__all__ = [
    "CheckItem",
    "CheckResult",
    "CheckTemplate",
    "Finding",
    "FindingPhoto",
    "FindingPhotoKind",
    "Outcome",
    "Patrol",
    "PatrolCheck",
    "PatrolVisit",
    "finding_photo_upload_to",
]


class CheckTemplate(models.Model):
    """巡查模板: one scene's check items, for the point types it lists (none = every point: 病媒)."""

    code = models.SlugField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64)
    point_types = models.JSONField("适用点位类型", default=list, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    source = models.CharField("出处", max_length=255, blank=True)

    class Meta:
        verbose_name = "巡查模板"
        verbose_name_plural = "巡查模板"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def applies_to_every_point(self) -> bool:
        """A template without point types (病媒) is walked at every point."""
        return not self.point_types

    def point_type_labels(self) -> list[str]:
        """The point types in Chinese, for pages."""
        labels = dict(PointType.choices)
        return [labels.get(value, value) for value in self.point_types]


class CheckItem(models.Model):
    """One thing to look at (一个检查项), with the problem category a finding on it is filed under."""

    template = models.ForeignKey(CheckTemplate, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField("编码", max_length=32)
    text = models.CharField("检查内容", max_length=255)
    # Findings and tickets say what is wrong (存在暴露垃圾), not what would have passed (无暴露垃圾).
    problem = models.CharField("问题表述", max_length=100, help_text="发现问题时工单和巡查记录使用的说法。")
    category = models.ForeignKey(
        ProblemCategory, verbose_name="问题类别", on_delete=models.PROTECT, related_name="check_items"
    )
    standard_item = models.ForeignKey(
        Item,
        verbose_name="对应标准条款",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="check_items",
    )
    deduction = models.CharField("扣分参考", max_length=64, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        ordering = ["template__order", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="check_item_code_unique")]

    def __str__(self) -> str:
        return self.text


class Patrol(models.Model):
    """One walk of one grid by one worker; start and end are the server's clock, the phone's are kept too."""

    uuid = models.UUIDField("客户端编号", unique=True, default=uuid.uuid4)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="网格员", on_delete=models.PROTECT, related_name="patrols"
    )
    grid = models.ForeignKey(Region, verbose_name="网格", on_delete=models.PROTECT, related_name="patrols")
    started_at = models.DateTimeField("开始时间", db_index=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    client_started_at = models.DateTimeField("手机开始时间", null=True, blank=True)
    client_ended_at = models.DateTimeField("手机结束时间", null=True, blank=True)
    track = models.JSONField("轨迹", default=list, blank=True)

    objects = PatrolQuerySet.as_manager()

    class Meta:
        verbose_name = "巡查"
        verbose_name_plural = "巡查"
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["grid", "started_at"], name="patrol_grid_started_idx")]

    def __str__(self) -> str:
        return f"{self.grid} {self.started_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        """Not finished yet."""
        return self.ended_at is None


class PatrolVisit(models.Model):
    """A point walked during a patrol, at most once per patrol (a resend updates the results)."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="visits")
    point = models.ForeignKey(Point, verbose_name="点位", on_delete=models.PROTECT, related_name="visits")
    visited_at = models.DateTimeField("巡查时间")

    class Meta:
        verbose_name = "巡查点位"
        verbose_name_plural = "巡查点位"
        ordering = ["visited_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["patrol", "point"], name="visit_once_per_patrol")]

    def __str__(self) -> str:
        return f"{self.point} {self.visited_at:%H:%M}"


class PatrolCheck(models.Model):
    """The result of one check item at one visited point."""

    visit = models.ForeignKey(PatrolVisit, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(CheckItem, verbose_name="检查项", on_delete=models.PROTECT, related_name="+")
    result = models.CharField("结果", max_length=8, choices=CheckResult.choices)

    class Meta:
        verbose_name = "检查结果"
        verbose_name_plural = "检查结果"
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="check_once_per_visit")]

    def __str__(self) -> str:
        return f"{self.item} {self.get_result_display()}"


class Finding(models.Model):
    """A problem a grid worker saw: fixed on the spot (with an after-photo) or reported as a ticket."""

    uuid = models.UUIDField("客户端编号", unique=True, default=uuid.uuid4)
    patrol = models.ForeignKey(
        Patrol, verbose_name="巡查", on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="网格员", on_delete=models.PROTECT, related_name="findings"
    )
    grid = models.ForeignKey(Region, verbose_name="网格", on_delete=models.PROTECT, related_name="findings")
    point = models.ForeignKey(
        Point, verbose_name="点位", on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    category = models.ForeignKey(
        ProblemCategory, verbose_name="问题类别", on_delete=models.PROTECT, related_name="findings"
    )
    check_item = models.ForeignKey(
        CheckItem,
        verbose_name="检查项",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    description = models.TextField("描述", blank=True)
    lat = coordinate_field("纬度(WGS-84)", limit=90)
    lng = coordinate_field("经度(WGS-84)", limit=180)
    accuracy_m = models.PositiveIntegerField("定位精度(米)", null=True, blank=True)
    taken_at = models.DateTimeField("发现时间(手机)", null=True, blank=True)
    created_at = models.DateTimeField("收到时间", db_index=True)
    outcome = models.CharField("处理方式", max_length=8, choices=Outcome.choices)
    # Several findings may share a ticket: a problem reported again while its ticket is open joins it.
    ticket = models.ForeignKey(
        Ticket, verbose_name="工单", on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = "巡查发现"
        verbose_name_plural = "巡查发现"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["grid", "created_at"], name="finding_grid_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lng__isnull=True) | Q(lat__isnull=False, lng__isnull=False),
                name="finding_lat_lng_together",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.created_at:%Y-%m-%d %H:%M}"


def finding_photo_upload_to(instance: FindingPhoto, filename: str) -> str:
    """Named by the photo's own UUID under the month; the extension comes from the re-encoded content."""
    suffix = PurePosixPath(filename).suffix.lower() or ".jpg"
    return f"findings/{instance.finding.created_at:%Y/%m}/{instance.uuid.hex}{suffix}"


class FindingPhoto(models.Model):
    """A re-encoded photo of a finding; taken-at and position are fields, never left in the file."""

    uuid = models.UUIDField("客户端编号", unique=True, default=uuid.uuid4)
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField("类型", max_length=8, choices=FindingPhotoKind.choices)
    image = models.ImageField(
        "照片", upload_to=finding_photo_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    lat = coordinate_field("纬度(WGS-84)", limit=90)
    lng = coordinate_field("经度(WGS-84)", limit=180)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "巡查照片"
        verbose_name_plural = "巡查照片"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.finding} {self.get_kind_display()}"
