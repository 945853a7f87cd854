"""Build the demo city 清河市: territory, units, points, demo logins, grid workers and pairings.

The territory, the named logins and their grids go through the services; the generated units, points, staff,
grid workers and pairings (hundreds of rows) are written in bulk after a sample is validated, since a service
call per row would take minutes. Run by manage.py seed_demo, in one transaction.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError

from apps.accounts.models import Role, User
from apps.accounts.services import users_bulk_create
from apps.core.numbers import forget_numbers, namespace_of
from apps.regions import demo_city as demo
from apps.regions.models import GridAssignment, Level, Pairing, PairingKind, Point, Region, Unit, UnitType
from apps.regions.services.staff import staff_create
from apps.regions.services.territory import grid_assign_worker, region_create

SEED = 20250101
# How far (in degrees) a child's centre may lie from its parent's: 街道, 社区, 网格, 点位.
SPREAD = {Level.STREET: 0.025, Level.COMMUNITY: 0.008, Level.GRID: 0.0025}
POINT_SPREAD = 0.0012
# Sample size for full_clean before bulk_create: the values are generated, so a sample guards the generator.
CLEAN_EVERY = 25


def _degrees(value: float) -> Decimal:
    """A coordinate as the 6-place decimal the models store."""
    return Decimal(f"{value:.6f}")


def _clamp(value: float, bounds: tuple[float, float]) -> float:
    """Keep a coordinate inside the city's box."""
    return min(max(value, bounds[0]), bounds[1])


def _clean_sample(rows: list[Any], **kwargs: Any) -> None:
    """full_clean every CLEAN_EVERY-th row before a bulk_create skips the model validators."""
    for row in rows[::CLEAN_EVERY]:
        row.full_clean(**kwargs)


class DemoCityBuilder:
    """Builds the demo city step by step; every random choice comes from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        """Start with an empty city."""
        self.rng = rng
        self.city = Region()
        self.streets: list[Region] = []
        self.communities: list[Region] = []
        self.grids: list[Region] = []
        self.parent_of: dict[int, Region] = {}
        self.units: dict[str, Unit] = {}
        self.points_by_grid: dict[int, list[Point]] = {}
        self.logins: dict[str, User] = {}
        self.demo_grids: tuple[Region, ...] = ()
        self.login_scope: dict[str, str] = {}
        self.extra_users = 0
        self._password_hash = ""

    def build(self) -> Region:
        """Write the whole city; the caller wraps this in one transaction."""
        self._build_territory()
        self._build_units()
        self._build_points()
        self._build_logins()
        self._build_unit_staff()
        self._build_grid_workers()
        self._build_pairings()
        return self.city

    def person(self) -> str:
        """A plausible Chinese full name."""
        return self.rng.choice(demo.SURNAMES) + self.rng.choice(demo.GIVEN_NAMES)

    def mobile(self) -> str:
        """A valid-looking 11-digit mobile number."""
        return self.rng.choice(demo.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    @property
    def password_hash(self) -> str:
        """The demo password hashed once for all bulk-created users (hashing each would take seconds)."""
        if not self._password_hash:
            self._password_hash = make_password(settings.DEMO_PASSWORD)
        return self._password_hash

    def near(self, region: Region, spread: float) -> tuple[Decimal, Decimal]:
        """A coordinate within ±spread degrees of a region's centre."""
        lat = _clamp(float(region.centre_lat or 0) + self.rng.uniform(-spread, spread), demo.LAT_RANGE)
        lng = _clamp(float(region.centre_lng or 0) + self.rng.uniform(-spread, spread), demo.LNG_RANGE)
        return _degrees(lat), _degrees(lng)

    def _build_territory(self) -> None:
        """市 → 区 → 街道 → 社区 → 网格, with hierarchical codes."""
        lat, lng = (_degrees(value) for value in demo.CITY_CENTRE)
        self.city = region_create(
            parent=None, code=demo.CITY_CODE, name=demo.CITY_NAME, centre_lat=lat, centre_lng=lng
        )
        for code, name, d_lat, d_lng, streets in demo.DISTRICTS:
            district = region_create(
                parent=self.city, code=code, name=name, centre_lat=_degrees(d_lat), centre_lng=_degrees(d_lng)
            )
            for index, (street_name, communities) in enumerate(streets, 1):
                street = self._child(district, f"{code}{index:03d}", street_name)
                self.streets.append(street)
                for c_index, community_name in enumerate(communities, 1):
                    self._build_community(street, f"{street.code}{c_index:03d}", community_name)

    def _build_community(self, street: Region, code: str, name: str) -> None:
        """One 社区 and its 4–6 网格."""
        community = self._child(street, code, name)
        self.communities.append(community)
        for index in range(1, self.rng.randint(4, 6) + 1):
            self.grids.append(self._child(community, f"{code}{index:03d}", f"{name}第{index}网格"))

    def _child(self, parent: Region, code: str, name: str) -> Region:
        """Add a region near its parent's centre and remember the parent."""
        level = Level.at_depth(parent.depth + 1)
        lat, lng = self.near(parent, SPREAD[level])
        child = region_create(parent=parent, code=code, name=name, centre_lat=lat, centre_lng=lng)
        self.parent_of[child.pk] = parent
        return child

    def street_of(self, region: Region) -> Region:
        """The 街道 a 社区 or 网格 lies in."""
        while region.level != Level.STREET:
            region = self.parent_of[region.pk]
        return region

    def _build_units(self) -> None:
        """市直 departments, every 街道办, a few 社区居委会 and 企事业单位, with contacts."""
        specs: list[tuple[str, str, str, Region | None]] = [
            *((name, short, kind, self.city) for name, short, kind in demo.MUNICIPAL_UNITS),
            *((f"{s.name}办事处", s.name, UnitType.STREET_OFFICE, s) for s in self.streets),
            *(
                (f"{c.name}居委会", c.name, UnitType.COMMUNITY, c)
                for c in self.communities
                if c.name in demo.COMMUNITY_UNITS
            ),
            *((name, short, UnitType.ENTERPRISE, None) for name, short in demo.ENTERPRISE_UNITS),
        ]
        rows = [
            Unit(
                name=name,
                short_name=short,
                type=kind,
                region=region,
                principal_name=self.person(),
                principal_phone=self.mobile(),
                liaison_name=self.person(),
                liaison_phone=self.mobile(),
            )
            for name, short, kind, region in specs
        ]
        for unit in rows:
            unit.full_clean()
        Unit.objects.bulk_create(rows)
        forget_numbers(namespace_of(Unit))  # bulk_create sends no signal
        self.units = {unit.name: unit for unit in Unit.objects.filter(name__in=[row.name for row in rows])}

    def responsible_unit(self, point_type: str, grid: Region) -> Unit:
        """The unit that answers for a point of this type in this grid."""
        name = demo.RESPONSIBLE_UNIT_BY_TYPE[point_type]
        if name == demo.STREET_OFFICE:
            name = f"{self.street_of(grid).name}办事处"
        return self.units[name]

    def _build_points(self) -> None:
        """About 1,000 named points, every grid holding at least two, numbered in territory order."""
        planned = [
            (kind, name)
            for kind, count in demo.POINT_COUNTS.items()
            for name in self.rng.sample(demo.point_name_pool(kind), count)
        ]
        self.rng.shuffle(planned)
        homes = [*self.grids, *self.grids]
        homes += [self.rng.choice(self.grids) for _ in range(len(planned) - len(homes))]
        by_grid: dict[int, list[tuple[str, str]]] = {grid.pk: [] for grid in self.grids}
        for grid, entry in zip(homes, planned, strict=True):
            by_grid[grid.pk].append(entry)
        rows: list[Point] = []
        for grid in self.grids:
            points = [
                self._point(len(rows) + i + 1, kind, name, grid)
                for i, (kind, name) in enumerate(by_grid[grid.pk])
            ]
            self.points_by_grid[grid.pk] = points
            rows += points
        _clean_sample(rows)
        Point.objects.bulk_create(rows, batch_size=500)
        forget_numbers(namespace_of(Point))  # bulk_create sends no signal

    def _point(self, number: int, kind: str, name: str, grid: Region) -> Point:
        """One point near its grid's centre with an address in its 区 and 街道."""
        street = self.street_of(grid)
        district = self.parent_of[street.pk]
        if kind in demo.ROAD_TYPES:
            address = f"{district.name}{street.name}{name}"
        else:
            # A 公厕 named after a road should stand on that road.
            road = next((r for r in demo.ROADS if name.startswith(r)), None) or self.rng.choice(demo.ROADS)
            address = f"{district.name}{street.name}{road}{self.rng.randint(1, 399)}号"
        lat, lng = self.near(grid, POINT_SPREAD)
        unit = self.responsible_unit(kind, grid)
        return Point(
            code=f"P{number:06d}",
            name=name,
            type=kind,
            address=address,
            grid=grid,
            lat=lat,
            lng=lng,
            responsible_unit=unit,
        )

    def _demo_grids(self) -> tuple[Region, Region]:
        """Two grids of the first 街道, in different 社区, each with several points incl. one of 市城管局."""
        city_mgmt = self.units[demo.URBAN_MGMT_UNIT].pk
        picked: list[Region] = []
        for grid in self.grids:
            points = self.points_by_grid[grid.pk]
            if (
                self.street_of(grid) == self.streets[0]
                and len(points) >= 3
                and any(p.responsible_unit_id == city_mgmt for p in points)
                and all(self.parent_of[grid.pk] != self.parent_of[other.pk] for other in picked)
            ):
                picked.append(grid)
            if len(picked) == 2:
                return picked[0], picked[1]
        raise CommandError("第一个街道里找不到两个合适的演示网格，请调整 demo_city 的数据。")

    def _build_logins(self) -> None:
        """The named demo logins, each holding one role and the territory or unit that role needs."""
        self.demo_grids = self._demo_grids()
        street = self.streets[0]
        scopes = {"street": street, "community": self.parent_of[self.demo_grids[0].pk]}
        for username, real_name, roles, scope_text in demo.DEMO_LOGINS:
            scope = scopes.get(username)
            unit = self.units[demo.URBAN_MGMT_UNIT] if Role.UNIT in roles else None
            self.logins[username] = staff_create(
                username=username,
                password=settings.DEMO_PASSWORD,
                roles=roles,
                real_name=real_name,
                mobile=self.mobile(),
                unit=unit,
                scope_region=scope,
                is_superuser=username == "admin",
            )
            self.login_scope[username] = scope_text or (scope.name if scope else "")
        for username, grid in zip(("grid", "grid2"), self.demo_grids, strict=True):
            grid_assign_worker(grid=grid, worker=self.logins[username], actor=self.logins["admin"])
            self.login_scope[username] = f"{street.name}{grid.name}"

    def bulk_users(
        self,
        role: Role,
        usernames: list[str],
        *,
        scopes: list[Region] | None = None,
        names: list[str] | None = None,
        units: list[Unit] | None = None,
    ) -> list[User]:
        """Create many users with one role, all sharing one password hash."""
        rows = [
            User(
                username=username,
                real_name=names[i] if names else self.person(),
                mobile=self.mobile(),
                password=self.password_hash,
                scope_region=scopes[i] if scopes else None,
                unit=units[i] if units else None,
            )
            for i, username in enumerate(usernames)
        ]
        _clean_sample(rows, validate_unique=False)
        users = users_bulk_create(users=rows, role=role)
        self.extra_users += len(users)
        return users

    def _build_unit_staff(self) -> None:
        """One 联络员 login per unit, so the demo's tickets and tasks are signed by their own unit's staff."""
        urban = self.units[demo.URBAN_MGMT_UNIT]
        units = [unit for unit in self.units.values() if unit != urban]
        units.sort(key=lambda unit: unit.pk)
        self.bulk_users(
            Role.UNIT,
            demo.unit_staff_usernames(),
            names=[unit.liaison_name for unit in units],
            units=units,
        )

    def _build_grid_workers(self) -> None:
        """~150 网格员 for all but ~10 grids; where grids outnumber workers, neighbours share one."""
        workers = self.bulk_users(Role.GRID_WORKER, demo.worker_usernames())
        open_grids = [grid for grid in self.grids if grid not in self.demo_grids]
        unstaffed = set(self.rng.sample(open_grids, demo.GRIDS_LEFT_WITHOUT_WORKER))
        staffed = [grid for grid in open_grids if grid not in unstaffed]
        GridAssignment.objects.bulk_create(
            [
                GridAssignment(grid=grid, worker=workers[index * len(workers) // len(staffed)])
                for index, grid in enumerate(staffed)
            ]
        )

    def _build_pairings(self) -> None:
        """包保领导 per 街道, 挂钩单位 for a dozen 社区, 网格长 for the grids of the first 区."""
        usernames, names = zip(*demo.EXTRA_LEADERS, strict=True)
        leaders = [self.logins["leader"], *self.bulk_users(Role.LEADER, list(usernames), names=list(names))]
        rows = [
            Pairing(
                region=street, kind=PairingKind.LEADER, user=leaders[i % len(leaders)], note="市级包保领导"
            )
            for i, street in enumerate(self.streets)
        ]
        departments = [self.units[name] for name, _, kind in demo.MUNICIPAL_UNITS if kind != UnitType.AIWEI]
        paired = sorted(self.rng.sample(self.communities, demo.UNIT_PAIRED_COMMUNITIES), key=lambda c: c.path)
        rows += [
            Pairing(region=c, kind=PairingKind.UNIT, unit=departments[i % len(departments)], note="结对共建")
            for i, c in enumerate(paired)
        ]
        rows += [
            Pairing(region=grid, kind=PairingKind.GRID_CHIEF, user=chief, note="社区书记兼网格长")
            for grid, chief in self._grid_chiefs()
        ]
        _clean_sample(rows, validate_unique=False, validate_constraints=False)
        Pairing.objects.bulk_create(rows)

    def _grid_chiefs(self) -> list[tuple[Region, User]]:
        """Each 社区 of the first 区 gets a staff member who is 网格长 of all its grids."""
        district = self.parent_of[self.streets[0].pk]
        communities = [c for c in self.communities if self.parent_of[self.parent_of[c.pk].pk] == district]
        own = self.parent_of[self.demo_grids[0].pk]
        others = [c for c in communities if c != own]
        staff = self.bulk_users(Role.COMMUNITY, demo.community_staff_usernames(), scopes=others)
        chief_of = {
            c.pk: user for c, user in zip([own, *others], [self.logins["community"], *staff], strict=True)
        }
        return [
            (g, chief_of[self.parent_of[g.pk].pk]) for g in self.grids if self.parent_of[g.pk].pk in chief_of
        ]
