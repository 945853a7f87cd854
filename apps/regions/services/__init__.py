"""Territory writes (territory.py): regions, units, points, grid workers, pairings; staff placed in the
territory (staff.py): the role rules that need a unit or a region level; demo.py seeds a city."""

from apps.regions.services.staff import staff_check_placement, staff_create, staff_set_roles
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
    "staff_check_placement",
    "staff_create",
    "staff_set_roles",
    "unit_update",
]
