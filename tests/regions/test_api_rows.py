"""The point list API writes its rows from .values(): exactly what PointSerializer writes for them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.renderers import JSONRenderer

from apps.regions.api.serializers import PointSerializer
from apps.regions.models import Point
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_point_rows_are_the_serializers_rows(login: Any, world: World) -> None:
    Point.objects.filter(pk=world.p1.pk).update(lat=Decimal("31.230416"), lng=Decimal("121.473701"))
    Point.objects.filter(pk=world.p2.pk).update(responsible_unit=None)
    Point.objects.filter(pk=world.p3.pk).update(lat=None, lng=None)
    rows = login("office").get("/api/v1/points/").json()["results"]
    points = Point.objects.select_related("grid", "responsible_unit").order_by("code")
    assert rows == json.loads(JSONRenderer().render(PointSerializer(points, many=True).data))
    assert {row["lat"] for row in rows} >= {"31.230416", None}
    assert None in {row["responsible_unit_name"] for row in rows}
