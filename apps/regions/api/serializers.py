"""API representations of regions, units and points."""

from rest_framework import serializers

from apps.regions.models import Point, Region, Unit


class RegionSerializer(serializers.ModelSerializer):
    """A territory node; `parent` is the id of the node above it."""

    # The metaclass moves declared fields off the class: no shadowing of Serializer.parent at run time.
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)  # type: ignore[assignment]
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = [
            "id",
            "code",
            "name",
            "level",
            "level_display",
            "parent",
            "depth",
            "centre_lat",
            "centre_lng",
            "boundary",
        ]


class UnitSerializer(serializers.ModelSerializer):
    """A responsible unit and its contacts."""

    type_display = serializers.CharField(source="get_type_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "type",
            "type_display",
            "region",
            "principal_name",
            "principal_phone",
            "liaison_name",
            "liaison_phone",
            "is_active",
        ]


class PointSerializer(serializers.ModelSerializer):
    """A patrolled place with its grid and responsible unit."""

    type_display = serializers.CharField(source="get_type_display", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    responsible_unit_name = serializers.CharField(
        source="responsible_unit.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Point
        fields = [
            "id",
            "code",
            "name",
            "type",
            "type_display",
            "address",
            "grid",
            "grid_name",
            "lat",
            "lng",
            "responsible_unit",
            "responsible_unit_name",
            "is_active",
            "updated_at",
        ]
        read_only_fields = ["id", "code", "updated_at"]


class PointUpdateSerializer(serializers.ModelSerializer):
    """Fields a PATCH may change; the service checks rights over the old and the new grid."""

    class Meta:
        model = Point
        fields = ["name", "type", "address", "grid", "lat", "lng", "responsible_unit", "is_active"]
