"""Shared fixtures: a small territory tree, units, points and one actor per role.

清河市 ─ 东城区 ─ 东湖街道 ─ 东湖社区 ─ 东湖1格 (P1 城管) · 东湖2格 (P2 市场监管)
               │          └ 湖滨社区 ─ 湖滨1格 (P3 城管)
               └ 西山街道 ─ 西山社区 ─ 西山1格 (P4 市场监管)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from apps.accounts.models import Role, User
from apps.regions.models import GridAssignment, Point, PointType, Region, Unit, UnitType
from apps.regions.services import region_create
from tests.accounts.factories import PASSWORD, make_user
from tests.regions.factories import PointFactory, UnitFactory

# Fixtures other test packages share (the browser tests use the small standard too).
pytest_plugins = ["tests.checklists.fixtures"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Tests create and sign in many users; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Throttles and cached numbers must not leak from one test into the next (Redis outlives a test)."""
    cache.clear()


@dataclass
class World:
    """Everything the shared fixture builds, by name."""

    city: Region
    district: Region
    street: Region
    street_b: Region
    community: Region
    community_b: Region
    community_c: Region
    grid: Region
    grid2: Region
    grid3: Region
    grid4: Region
    unit_city: Unit
    unit_market: Unit
    p1: Point
    p2: Point
    p3: Point
    p4: Point


def _tree() -> dict[str, Region]:
    city = region_create(parent=None, code="C", name="清河市")
    district = region_create(parent=city, code="D", name="东城区")
    street = region_create(parent=district, code="S1", name="东湖街道")
    street_b = region_create(parent=district, code="S2", name="西山街道")
    community = region_create(parent=street, code="C1", name="东湖社区")
    community_b = region_create(parent=street, code="C2", name="湖滨社区")
    community_c = region_create(parent=street_b, code="C3", name="西山社区")
    return {
        "city": city,
        "district": district,
        "street": street,
        "street_b": street_b,
        "community": community,
        "community_b": community_b,
        "community_c": community_c,
        "grid": region_create(parent=community, code="G1", name="东湖1格"),
        "grid2": region_create(parent=community, code="G2", name="东湖2格"),
        "grid3": region_create(parent=community_b, code="G3", name="湖滨1格"),
        "grid4": region_create(parent=community_c, code="G4", name="西山1格"),
    }


@pytest.fixture
def world(db: Any) -> World:
    """The small territory tree with two units and one point per grid."""
    regions = {name: Region.objects.get(pk=r.pk) for name, r in _tree().items()}
    unit_city = UnitFactory(name="市城管局", type=UnitType.URBAN_MGMT)
    unit_market = UnitFactory(name="市市场监督管理局", type=UnitType.MARKET)
    points = {
        "p1": PointFactory(
            name="东湖农贸市场", type=PointType.MARKET, grid=regions["grid"], responsible_unit=unit_city
        ),
        "p2": PointFactory(
            name="东湖路", type=PointType.MAIN_ROAD, grid=regions["grid2"], responsible_unit=unit_market
        ),
        "p3": PointFactory(
            name="湖滨公厕", type=PointType.TOILET, grid=regions["grid3"], responsible_unit=unit_city
        ),
        "p4": PointFactory(
            name="西山面馆", type=PointType.SMALL_FOOD, grid=regions["grid4"], responsible_unit=unit_market
        ),
    }
    return World(**regions, unit_city=unit_city, unit_market=unit_market, **points)


@pytest.fixture
def actors(world: World) -> dict[str, User]:
    """One user per role (and the outsiders the access matrix needs), keyed by a short name."""
    users = {
        "admin": make_user(Role.ADMIN, username="t_admin", is_superuser=True),
        "office": make_user(Role.OFFICE, username="t_office"),
        "leader": make_user(Role.LEADER, username="t_leader"),
        "inspector": make_user(Role.INSPECTOR, username="t_inspector"),
        "unit": make_user(Role.UNIT, username="t_unit", unit=world.unit_city),
        "unit_other": make_user(Role.UNIT, username="t_unit_other", unit=world.unit_market),
        "street": make_user(Role.STREET, username="t_street", scope_region=world.street),
        "street_other": make_user(Role.STREET, username="t_street_other", scope_region=world.street_b),
        "community": make_user(Role.COMMUNITY, username="t_community", scope_region=world.community),
        "grid": make_user(Role.GRID_WORKER, username="t_grid"),
        "grid2": make_user(Role.GRID_WORKER, username="t_grid2"),
    }
    GridAssignment.objects.create(grid=world.grid, worker=users["grid"])
    GridAssignment.objects.create(grid=world.grid2, worker=users["grid2"])
    return users


@pytest.fixture
def login(client: Client, actors: dict[str, User]) -> Any:
    """Sign the test client in as the named actor (or stay anonymous for 'anon')."""

    def _login(name: str) -> Client:
        client.logout()
        if name != "anon":
            assert client.login(username=actors[name].username, password=PASSWORD)
        return client

    return _login
