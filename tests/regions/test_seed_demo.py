"""manage.py seed_demo: the demo city's size, idempotence, the DEBUG guard and the demo logins."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.accounts.models import Role, User, UserRole
from apps.regions.models import GridAssignment, Level, Pairing, PairingKind, Point, PointType, Region, Unit

pytestmark = pytest.mark.django_db

DEMO_ROLES = {
    "admin": Role.ADMIN,
    "office": Role.OFFICE,
    "leader": Role.LEADER,
    "unit": Role.UNIT,
    "street": Role.STREET,
    "community": Role.COMMUNITY,
    "grid": Role.GRID_WORKER,
    "grid2": Role.GRID_WORKER,
    "inspector": Role.INSPECTOR,
}


@pytest.fixture(autouse=True)
def _debug_on(settings: Any) -> None:
    """pytest-django runs with DEBUG off; the seed is a development tool."""
    settings.DEBUG = True


def seed(*args: str) -> str:
    """Run the command and return what it printed."""
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows in every table the seed writes to."""
    return {
        model.__name__: model.objects.count()
        for model in (Region, Unit, Point, User, UserRole, GridAssignment, Pairing)
    }


def level_count(level: Level) -> int:
    """How many regions of a level exist."""
    return Region.objects.filter(level=level).count()


def test_counts_land_in_the_stated_ranges() -> None:
    """1 市, 3 区, ~10 街道, ~40 社区, ~200 网格, ~30 units, ~1,000 points of all 12 types."""
    output = seed()
    assert level_count(Level.CITY) == 1
    assert level_count(Level.DISTRICT) == 3
    assert 8 <= level_count(Level.STREET) <= 12
    assert 35 <= level_count(Level.COMMUNITY) <= 45
    assert 180 <= level_count(Level.GRID) <= 220
    assert 25 <= Unit.objects.count() <= 40
    assert 900 <= Point.objects.count() <= 1100
    assert set(Point.objects.values_list("type", flat=True)) == set(PointType.values)
    assert 5 <= Region.objects.grids().filter(assignments__isnull=True).count() <= 15
    assert "演示账号" in output


def test_codes_are_hierarchical_and_points_hang_off_grids() -> None:
    """Codes follow the tree; points sit on grids with valid values and a responsible unit."""
    seed()
    by_path = {region.path: region for region in Region.objects.all()}
    for region in by_path.values():
        parent = by_path.get(region.path[: -Region.steplen])
        if parent is not None:
            # 区 codes share the 市's first four digits (330100 → 330102); below that the code extends.
            prefix = parent.code[:4] if parent.level == Level.CITY else parent.code
            assert region.code.startswith(prefix), region.code
    assert not Point.objects.exclude(grid__level=Level.GRID).exists()
    assert not Point.objects.filter(responsible_unit__isnull=True).exists()
    for point in Point.objects.select_related("grid", "responsible_unit")[::20]:
        point.full_clean()
    for unit in Unit.objects.all():
        unit.full_clean()


def test_second_run_changes_nothing() -> None:
    """With the city already there the command says so and writes no row."""
    seed()
    before = row_counts()
    assert "已存在" in seed()
    assert "已存在" in seed("--if-empty")
    assert row_counts() == before


def test_refuses_without_debug_unless_forced(settings: Any) -> None:
    """DEBUG off stops the seed with a CommandError; --force lets it through."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert Region.objects.count() == 0
    seed("--force")
    assert level_count(Level.CITY) == 1


def test_demo_logins_authenticate_with_their_roles() -> None:
    """Every demo login signs in with the demo password and holds its role."""
    seed()
    for username, role in DEMO_ROLES.items():
        user = authenticate(username=username, password="demo1234")
        assert user is not None, username
        assert user.has_role(role), username
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="unit").unit.name == "市城管局"


def test_grid_workers_patrol_different_grids_of_the_street_login() -> None:
    """grid and grid2 hold different grids of the `street` login's 街道, each with a 市城管局 point."""
    seed()
    street = User.objects.get(username="street").scope_region
    community = User.objects.get(username="community").scope_region
    grids = [GridAssignment.objects.get(worker__username=name).grid for name in ("grid", "grid2")]
    assert grids[0] != grids[1]
    assert grids[0].path.startswith(community.path)
    for grid in grids:
        assert grid.path.startswith(street.path)
        assert grid.points.count() >= 3
        assert grid.points.filter(responsible_unit__name="市城管局").exists()


def test_pairings_cover_streets_communities_and_grids() -> None:
    """Every 街道 has a 包保领导; some 社区 a 挂钩单位; some grids a 网格长."""
    seed()
    leaders = Pairing.objects.filter(kind=PairingKind.LEADER)
    assert leaders.values("region").distinct().count() == level_count(Level.STREET)
    assert Pairing.objects.filter(kind=PairingKind.UNIT).exists()
    chiefs = Pairing.objects.filter(kind=PairingKind.GRID_CHIEF)
    assert 0 < chiefs.count() < level_count(Level.GRID)
    assert not chiefs.exclude(region__level=Level.GRID).exists()
