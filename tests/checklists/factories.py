"""Factories for a small standard, campaigns and tasks (the shipped standards are loaded by a command)."""

from __future__ import annotations

from datetime import date

import factory

from apps.checklists.models import Campaign, Category, Item, Requirement, Standard, Task
from apps.regions.models import UnitType


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard

    code = factory.Sequence(lambda n: f"TST{n}")
    name = factory.Sequence(lambda n: f"测试标准{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    standard = factory.SubFactory(StandardFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"大类{n}")
    order = factory.Sequence(lambda n: n)
    lead_unit_type = UnitType.URBAN_MGMT


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    category = factory.SubFactory(CategoryFactory)
    standard = factory.SelfAttribute("category.standard")
    code = factory.Sequence(lambda n: f"T-{n:02d}")
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"条款{n}")
    text = "条款内容"


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    item = factory.SubFactory(ItemFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"材料{n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"测试创建周期{n}")
    standard = factory.SubFactory(StandardFactory)
    starts_on = date(2025, 1, 1)
    inspection_on = date(2027, 6, 30)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    campaign = factory.SubFactory(CampaignFactory)
    item = factory.SubFactory(ItemFactory, category__standard=factory.SelfAttribute("...campaign.standard"))
    lead_unit = factory.SubFactory("tests.regions.factories.UnitFactory")
    deadline = date(2027, 3, 31)
