"""Roles and their groupings: a leaf every app may import (it imports nothing from apps)."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """What a person does in the campaign; decides their home page, navigation and scope."""

    ADMIN = "admin", "创卫办管理员"
    OFFICE = "office", "创卫办"
    LEADER = "leader", "领导"
    UNIT = "unit", "责任单位"
    STREET = "street", "街道"
    COMMUNITY = "community", "社区"
    GRID_WORKER = "grid_worker", "网格员"
    INSPECTOR = "inspector", "督查员"


# Roles that see the whole city. Leaders and inspectors read it; only the office changes it.
SEE_EVERYTHING = frozenset({Role.ADMIN, Role.OFFICE, Role.LEADER, Role.INSPECTOR})
MANAGE_EVERYTHING = frozenset({Role.ADMIN, Role.OFFICE})
