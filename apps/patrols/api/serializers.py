"""API representations of check templates, patrols and findings, and the inputs the phone sends."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.core.api.fields import (
    CoordinateField,
    IdField,
    PhotoUrlField,
    RecordedAtField,
    StrictCharField,
    StrictUUIDField,
)
from apps.patrols.models import (
    CheckItem,
    CheckResult,
    CheckTemplate,
    Finding,
    FindingPhoto,
    FindingPhotoKind,
    Outcome,
    Patrol,
    PatrolVisit,
)
from apps.regions.models import Point, Region
from apps.tickets.api.serializers import photos_field
from apps.tickets.models import ProblemCategory

COORDINATE_ERRORS = {
    "lat": {
        "min_value": "纬度超出范围（应在 -90 到 90 之间）。",
        "max_value": "纬度超出范围（应在 -90 到 90 之间）。",
        "out_of_range": "纬度超出范围（应在 -90 到 90 之间）。",
    },
    "lng": {
        "min_value": "经度超出范围（应在 -180 到 180 之间）。",
        "max_value": "经度超出范围（应在 -180 到 180 之间）。",
        "out_of_range": "经度超出范围（应在 -180 到 180 之间）。",
    },
}

# --- output ---


class CheckItemSerializer(serializers.ModelSerializer):
    """One check item and the problem category a finding on it is filed under."""

    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = CheckItem
        fields = ["id", "code", "text", "problem", "category", "category_name", "standard_item", "deduction"]


class CheckTemplateSerializer(serializers.ModelSerializer):
    """A check template with its active items; `point_types` empty = every point."""

    items = serializers.SerializerMethodField()

    class Meta:
        model = CheckTemplate
        fields = ["id", "code", "name", "point_types", "items"]

    def get_items(self, template: CheckTemplate) -> list[dict[str, Any]]:
        items = [item for item in template.items.all() if item.is_active]
        return CheckItemSerializer(items, many=True).data  # type: ignore[return-value]


class MyPointSerializer(serializers.ModelSerializer):
    """A point to patrol, with where it is."""

    type_display = serializers.CharField(source="get_type_display", read_only=True)

    class Meta:
        model = Point
        fields = ["id", "name", "type", "type_display", "address", "lat", "lng"]


class MyGridSerializer(serializers.ModelSerializer):
    """One of the worker's grids with its active points."""

    points = MyPointSerializer(source="active_points", many=True, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "centre_lat", "centre_lng", "points"]


class VisitSerializer(serializers.ModelSerializer):
    """A point walked and its results, as {check item id: result}."""

    results = serializers.SerializerMethodField()

    class Meta:
        model = PatrolVisit
        fields = ["point", "visited_at", "results"]

    def get_results(self, visit: PatrolVisit) -> dict[str, str]:
        return {str(check.item_id): check.result for check in visit.checks.all()}


class PatrolSerializer(serializers.ModelSerializer):
    """A patrol; start and end are the server's clock."""

    grid_name = serializers.CharField(source="grid.name", read_only=True)
    worker_name = serializers.CharField(source="worker.get_full_name", read_only=True)
    visits = VisitSerializer(many=True, read_only=True)

    class Meta:
        model = Patrol
        fields = [
            "uuid",
            "grid",
            "grid_name",
            "worker",
            "worker_name",
            "started_at",
            "ended_at",
            "client_started_at",
            "client_ended_at",
            "visits",
        ]


class FindingPhotoSerializer(serializers.ModelSerializer):
    """A photo of a finding; the image is served only through the permission-checked page."""

    url = PhotoUrlField("patrols:finding-photo")
    thumb_url = PhotoUrlField("patrols:finding-photo", thumb=True)

    class Meta:
        model = FindingPhoto
        fields = ["uuid", "kind", "width", "height", "taken_at", "lat", "lng", "url", "thumb_url"]


class FindingSerializer(serializers.ModelSerializer):
    """A finding and, when reported, its ticket's number and status."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    point_name = serializers.CharField(source="point.name", read_only=True, default=None, allow_null=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    patrol = serializers.UUIDField(source="patrol.uuid", read_only=True, default=None, allow_null=True)
    ticket_number = serializers.CharField(
        source="ticket.number", read_only=True, default=None, allow_null=True
    )
    ticket_status = serializers.CharField(
        source="ticket.get_status_display", read_only=True, default=None, allow_null=True
    )
    photos = FindingPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "uuid",
            "patrol",
            "grid",
            "grid_name",
            "point",
            "point_name",
            "category",
            "category_name",
            "check_item",
            "description",
            "lat",
            "lng",
            "accuracy_m",
            "taken_at",
            "created_at",
            "outcome",
            "ticket",
            "ticket_number",
            "ticket_status",
            "photos",
        ]


# --- input ---


def uuid_list(label: str) -> serializers.ListField:
    """The phone's UUIDs for the photos sent alongside, in the same order."""
    return serializers.ListField(label=label, child=StrictUUIDField(), required=False, default=list)


class PatrolStartSerializer(serializers.Serializer):
    """开始巡查: the phone's UUID and one of the worker's grids."""

    uuid = StrictUUIDField(label="客户端编号")
    grid = IdField(label="网格")
    client_started_at = RecordedAtField(label="手机开始时间", required=False, allow_null=True)


class CheckResultSerializer(serializers.Serializer):
    """One check item's result."""

    item = IdField(label="检查项")
    result = serializers.ChoiceField(label="结果", choices=CheckResult.choices)


class VisitInputSerializer(serializers.Serializer):
    """A point walked, with one result per check item tapped."""

    point = IdField(label="点位")
    visited_at = RecordedAtField(label="巡查时间", required=False, allow_null=True, default=None)
    results = CheckResultSerializer(label="检查结果", many=True, required=False, default=list)


class PatrolFinishSerializer(serializers.Serializer):
    """结束巡查, with the track the phone recorded (optional)."""

    track = serializers.ListField(
        label="轨迹 [[纬度, 经度, 时间戳]]", child=serializers.ListField(), required=False, default=list
    )
    client_ended_at = RecordedAtField(label="手机结束时间", required=False, allow_null=True)


class FindingInputSerializer(serializers.Serializer):
    """A finding as the phone sends it: multipart with photos, or JSON without."""

    uuid = StrictUUIDField(label="客户端编号")
    patrol = StrictUUIDField(label="巡查编号", required=False, allow_null=True, default=None)
    point = IdField(label="点位", required=False, allow_null=True, default=None)
    grid = IdField(label="网格（无点位时）", required=False, allow_null=True, default=None)
    category = serializers.PrimaryKeyRelatedField(
        label="问题小类",
        queryset=ProblemCategory.objects.select_related("parent"),  # its time limit may be the 大类's
        error_messages={"does_not_exist": "问题类别不存在。"},
    )
    check_item = serializers.PrimaryKeyRelatedField(
        label="检查项",
        queryset=CheckItem.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": "检查项不存在。"},
    )
    outcome = serializers.ChoiceField(label="处理方式", choices=Outcome.choices)
    description = StrictCharField(label="描述", required=False, allow_blank=True, default="", max_length=1000)
    lat = CoordinateField(label="纬度", limit=90, error_messages=COORDINATE_ERRORS["lat"])
    lng = CoordinateField(label="经度", limit=180, error_messages=COORDINATE_ERRORS["lng"])
    accuracy_m = serializers.IntegerField(
        label="定位精度(米)", required=False, allow_null=True, default=None, min_value=0, max_value=100000
    )
    taken_at = RecordedAtField(label="发现时间", required=False, allow_null=True, default=None)
    photos = photos_field("问题照片")
    photo_uuids = uuid_list("问题照片编号")
    after_photos = photos_field("整改后照片")
    after_photo_uuids = uuid_list("整改后照片编号")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for files, uuids in (("photos", "photo_uuids"), ("after_photos", "after_photo_uuids")):
            if len(attrs[files]) != len(attrs[uuids]):
                raise serializers.ValidationError({uuids: "每张照片须带一个编号（与照片数量一致）。"})
        return attrs


class FindingPhotoInputSerializer(serializers.Serializer):
    """One more photo for a finding (multipart)."""

    uuid = StrictUUIDField(label="照片编号")
    kind = serializers.ChoiceField(label="类型", choices=FindingPhotoKind.choices)
    image = serializers.FileField(label="照片", allow_empty_file=True, use_url=False)
    lat = CoordinateField(label="纬度", limit=90, error_messages=COORDINATE_ERRORS["lat"])
    lng = CoordinateField(label="经度", limit=180, error_messages=COORDINATE_ERRORS["lng"])
    taken_at = RecordedAtField(label="拍摄时间", required=False, allow_null=True, default=None)
