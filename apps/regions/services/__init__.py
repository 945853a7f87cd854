"""Territory writes (territory.py): regions, units, points, grid workers, pairings; demo.py seeds a city."""

from apps.regions.services.territory import (
    POINT_EDITABLE,
    REGION_EDITABLE,
    UNIT_CONTACT_FIELDS,
    UNIT_EDITABLE,
    grid_assign_worker,
    grid_unassign_worker,
    pairing_create,
    pairing_remove,
    point_create,
    point_update,
    region_create,
    region_relevel,
    region_update,
    unit_update,
)

__all__ = [
    "POINT_EDITABLE",
    "REGION_EDITABLE",
    "UNIT_CONTACT_FIELDS",
    "UNIT_EDITABLE",
    "grid_assign_worker",
    "grid_unassign_worker",
    "pairing_create",
    "pairing_remove",
    "point_create",
    "point_update",
    "region_create",
    "region_relevel",
    "region_update",
    "unit_update",
]
