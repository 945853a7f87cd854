"""Factories for units and points (regions are built through the tree service in conftest)."""

from decimal import Decimal

import factory

from apps.regions.models import Point, PointType, Unit, UnitType


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    type = UnitType.URBAN_MGMT
    principal_name = "张三"
    principal_phone = "13800138000"


class PointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Point

    code = factory.Sequence(lambda n: f"T{n:06d}")
    name = factory.Sequence(lambda n: f"测试点位{n}")
    type = PointType.BACKSTREET
    address = "测试路1号"
    lat = Decimal("30.250000")
    lng = Decimal("120.150000")
