"""The point list's API rows from `.values()`: PointSerializer's output at a fraction of its cost."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apps.core.api.rows import decimal_writer, moment
from apps.regions.models import Point, PointType

COLUMNS = (
    "id",
    "code",
    "name",
    "type",
    "address",
    "grid_id",
    "grid__name",
    "lat",
    "lng",
    "responsible_unit_id",
    "responsible_unit__name",
    "is_active",
    "updated_at",
)
TYPES = dict(PointType.choices)
_lat = decimal_writer(Point._meta.get_field("lat"))
_lng = decimal_writer(Point._meta.get_field("lng"))


def point_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every row of a page, as PointSerializer writes each."""
    return [
        {
            "id": row["id"],
            "code": row["code"],
            "name": row["name"],
            "type": row["type"],
            "type_display": TYPES.get(row["type"], row["type"]),
            "address": row["address"],
            "grid": row["grid_id"],
            "grid_name": row["grid__name"],
            "lat": _lat(row["lat"]),
            "lng": _lng(row["lng"]),
            "responsible_unit": row["responsible_unit_id"],
            "responsible_unit_name": row["responsible_unit__name"],
            "is_active": row["is_active"],
            "updated_at": moment(row["updated_at"]),
        }
        for row in rows
    ]
