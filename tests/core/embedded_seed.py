"""Prepares the SQLite file of the embedded-server test, run in its own process (`manage.py shell -c`).

Migrates, then builds one grid worker with one 农贸市场 point and the check templates over the test
categories, and writes one JSON line: the worker's token, the point and category to report, and the PRAGMAs
this process's connection got from settings (the server's connections get the same).
"""

from __future__ import annotations

import json
import sys

from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from apps.accounts.roles import Role
from apps.regions.models import GridAssignment, PointType, UnitType
from apps.regions.services import region_create
from tests.accounts.factories import make_user
from tests.patrols.factories import make_templates
from tests.regions.factories import PointFactory, UnitFactory


def seed() -> None:
    """Migrate and seed the file SQLITE_PATH names, then report on stdout."""
    call_command("migrate", verbosity=0)
    region = region_create(parent=None, code="C", name="清河市")
    for code, name in (("D", "东城区"), ("S1", "东湖街道"), ("C1", "东湖社区"), ("G1", "东湖1格")):
        region = region_create(parent=region, code=code, name=name)
    unit = UnitFactory(name="市城管局", type=UnitType.URBAN_MGMT)
    make_user(Role.UNIT, username="t_unit", unit=unit)
    worker = make_user(Role.GRID_WORKER, username="t_grid")
    GridAssignment.objects.create(grid=region, worker=worker)
    point = PointFactory(name="东湖农贸市场", type=PointType.MARKET, grid=region, responsible_unit=unit)
    templates = make_templates()
    with connection.cursor() as cursor:
        pragmas = {
            name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "busy_timeout")
        }
    report = {
        "token": Token.objects.create(user=worker).key,
        "point": point.pk,
        "category": templates.categories.garbage.pk,
        "pragmas": pragmas,
    }
    sys.stdout.write(json.dumps(report) + "\n")
