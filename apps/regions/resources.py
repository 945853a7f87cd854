"""django-import-export resources: units and points round-trip through Excel in the admin."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from apps.regions.models import Point, Region, Unit


class UnitResource(resources.ModelResource):
    """Units keyed by name."""

    class Meta:
        model = Unit
        import_id_fields = ["name"]
        fields = [
            "name",
            "short_name",
            "type",
            "principal_name",
            "principal_phone",
            "liaison_name",
            "liaison_phone",
            "is_active",
        ]


class PointResource(resources.ModelResource):
    """Points keyed by code; grid by its code, unit by its name."""

    grid = fields.Field(attribute="grid", column_name="grid", widget=ForeignKeyWidget(Region, field="code"))
    responsible_unit = fields.Field(
        attribute="responsible_unit",
        column_name="responsible_unit",
        widget=ForeignKeyWidget(Unit, field="name"),
    )

    class Meta:
        model = Point
        import_id_fields = ["code"]
        fields = ["code", "name", "type", "address", "grid", "lat", "lng", "responsible_unit", "is_active"]
