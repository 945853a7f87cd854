"""Territory (市 → 区 → 街道 → 社区 → 网格), responsible units, points, grid assignments and pairings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node

from apps.accounts.roles import Role
from apps.core.models import TimeStampedModel
from apps.regions.choices import Level, PairingKind, PointType, UnitType, WebhookKind
from apps.regions.querysets import (
    GridAssignmentQuerySet,
    PairingQuerySet,
    PointQuerySet,
    RegionManager,
    UnitQuerySet,
)

# The choices live in apps/regions/choices.py (the QuerySets need them too); they are imported here so that
# `from apps.regions.models import Level` keeps working.
__all__ = [
    "GridAssignment",
    "Level",
    "Pairing",
    "PairingKind",
    "Point",
    "PointType",
    "Region",
    "Unit",
    "UnitType",
    "WebhookKind",
    "coordinate_field",
    "phone_validator",
]

phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
    "请输入11位手机号或带区号的固定电话，如 13800138000 或 0571-87654321。",
)


def coordinate_field(label: str, *, limit: int) -> models.DecimalField:
    """An optional WGS-84 latitude (limit 90) or longitude (limit 180) in degrees, to about 0.1 m."""
    validators = [MinValueValidator(Decimal(-limit)), MaxValueValidator(Decimal(limit))]
    return models.DecimalField(
        label, max_digits=9, decimal_places=6, null=True, blank=True, validators=validators
    )


class Region(MP_Node):
    """A node of the territory tree; materialised paths make a subtree one indexed prefix scan."""

    # Annotated by hand: treebeard's untyped base hides the fields from django-stubs.
    code: models.CharField[str, str] = models.CharField("编码", max_length=32, unique=True)
    name: models.CharField[str, str] = models.CharField("名称", max_length=100)
    level: models.CharField[str, str] = models.CharField("层级", max_length=16, choices=Level.choices)
    boundary = models.JSONField("边界(GeoJSON)", null=True, blank=True)
    centre_lat: models.DecimalField[Decimal | None, Decimal | None] = coordinate_field("中心纬度", limit=90)
    centre_lng: models.DecimalField[Decimal | None, Decimal | None] = coordinate_field("中心经度", limit=180)
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at: models.DateTimeField[datetime, datetime] = models.DateTimeField("更新时间", auto_now=True)

    objects = RegionManager()

    class Meta:
        verbose_name = "区域"
        verbose_name_plural = "区域"
        indexes = [models.Index(fields=["level", "name"], name="region_level_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level=Level.CITY, depth=1)
                    | Q(level=Level.DISTRICT, depth=2)
                    | Q(level=Level.STREET, depth=3)
                    | Q(level=Level.COMMUNITY, depth=4)
                    | Q(level=Level.GRID, depth=5)
                ),
                name="region_level_matches_depth",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_grid(self) -> bool:
        """True for the leaves that grid workers patrol."""
        return self.level == Level.GRID

    def clean(self) -> None:
        """Boundary must look like GeoJSON when given."""
        if self.boundary is not None and (not isinstance(self.boundary, dict) or "type" not in self.boundary):
            raise ValidationError({"boundary": "边界须为 GeoJSON 对象（含 type 字段）。"})


class Unit(TimeStampedModel):
    """A responsible unit (责任单位) with its principal (负责人) and liaison (联络员)."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    type = models.CharField("单位类型", max_length=20, choices=UnitType.choices)
    region = models.ForeignKey(
        Region,
        verbose_name="所属区域",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text="街道办、社区等属地单位填其辖区；市直部门留空或填市。",
    )
    principal_name = models.CharField("负责人", max_length=30, blank=True)
    principal_phone = models.CharField("负责人电话", max_length=20, blank=True, validators=[phone_validator])
    liaison_name = models.CharField("联络员", max_length=30, blank=True)
    liaison_phone = models.CharField("联络员电话", max_length=20, blank=True, validators=[phone_validator])
    webhook_kind = models.CharField("群机器人类型", max_length=10, choices=WebhookKind.choices, blank=True)
    webhook_url = models.URLField("群机器人地址", max_length=500, blank=True)
    is_active = models.BooleanField("启用", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["type", "name"]
        indexes = [models.Index(fields=["type", "name"], name="unit_type_name_idx")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A webhook needs both its kind and its address."""
        if bool(self.webhook_kind) != bool(self.webhook_url):
            raise ValidationError({"webhook_url": "群机器人类型和地址须同时填写或同时留空。"})


class Point(TimeStampedModel):
    """A place that is patrolled (点位): hangs off one grid, has one responsible unit, WGS-84 coordinates."""

    code = models.CharField("点位编码", max_length=32, unique=True)
    name = models.CharField("点位名称", max_length=100)
    type = models.CharField("点位类型", max_length=20, choices=PointType.choices)
    address = models.CharField("地址", max_length=200, blank=True)
    grid = models.ForeignKey(
        Region,
        verbose_name="所属网格",
        on_delete=models.PROTECT,
        related_name="points",
        limit_choices_to={"level": Level.GRID},
    )
    lat = coordinate_field("纬度(WGS-84)", limit=90)
    lng = coordinate_field("经度(WGS-84)", limit=180)
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name="责任单位",
        on_delete=models.PROTECT,
        related_name="points",
        null=True,
        blank=True,
    )
    is_active = models.BooleanField("在用", default=True)

    objects = PointQuerySet.as_manager()

    class Meta:
        verbose_name = "点位"
        verbose_name_plural = "点位"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["type", "name"], name="point_type_name_idx"),
            models.Index(fields=["grid", "type"], name="point_grid_type_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lng__isnull=True) | Q(lat__isnull=False, lng__isnull=False),
                name="point_lat_lng_together",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A point hangs off a grid, and its coordinates come as a pair."""
        if self.grid_id and self.grid.level != Level.GRID:
            raise ValidationError({"grid": "点位只能挂在网格上。"})
        if (self.lat is None) != (self.lng is None):
            raise ValidationError({"lng": "经纬度须同时填写或同时留空。"})


class GridAssignment(models.Model):
    """A grid worker (网格员) assigned to patrol a grid."""

    grid = models.ForeignKey(
        Region,
        verbose_name="网格",
        on_delete=models.CASCADE,
        related_name="assignments",
        limit_choices_to={"level": Level.GRID},
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="网格员",
        on_delete=models.CASCADE,
        related_name="grid_assignments",
    )
    assigned_at = models.DateTimeField("分配时间", auto_now_add=True)

    objects = GridAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "网格员分配"
        verbose_name_plural = "网格员分配"
        constraints = [
            models.UniqueConstraint(fields=["grid", "worker"], name="gridassignment_unique_grid_worker")
        ]

    def __str__(self) -> str:
        return f"{self.grid} · {self.worker}"

    def clean(self) -> None:
        """Only grids are patrolled, and only by grid workers."""
        if self.grid_id and self.grid.level != Level.GRID:
            raise ValidationError({"grid": "只能把网格分配给网格员。"})
        if self.worker_id and not self.worker.has_role(Role.GRID_WORKER):
            raise ValidationError({"worker": "该用户没有网格员角色。"})


class Pairing(models.Model):
    """包保/挂钩: a leader, a unit or a grid chief answering for a region."""

    region = models.ForeignKey(Region, verbose_name="区域", on_delete=models.CASCADE, related_name="pairings")
    kind = models.CharField("类型", max_length=16, choices=PairingKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pairings",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pairings",
    )
    note = models.CharField("备注", max_length=100, blank=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = "包保挂钩"
        verbose_name_plural = "包保挂钩"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=PairingKind.UNIT, unit__isnull=False, user__isnull=True)
                    | (~Q(kind=PairingKind.UNIT) & Q(user__isnull=False, unit__isnull=True))
                ),
                name="pairing_unit_xor_user_by_kind",
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "user"],
                condition=Q(user__isnull=False),
                name="pairing_unique_user",
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "unit"],
                condition=Q(unit__isnull=False),
                name="pairing_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.get_kind_display()} · {self.unit or self.user}"

    def clean(self) -> None:
        """挂钩单位 names a unit; 包保领导 and 网格长 name a person; 网格长 only on a grid."""
        if self.kind == PairingKind.UNIT and (not self.unit_id or self.user_id):
            raise ValidationError({"unit": "挂钩单位须选择单位，不填人员。"})
        if self.kind != PairingKind.UNIT and (not self.user_id or self.unit_id):
            raise ValidationError({"user": "包保领导和网格长须选择人员，不填单位。"})
        if self.kind == PairingKind.GRID_CHIEF and self.region_id and self.region.level != Level.GRID:
            raise ValidationError({"region": "网格长只能设在网格上。"})
