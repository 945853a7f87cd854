"""The small standard and campaign fixture, shared by the checklist tests and the browser tests.

标准 TST ─ C1 组织管理 (爱卫办) ─ T-01 组织机构 [工作方案, 会议记录(按年)]
         │                     └ T-02 经费保障 [经费文件]
         └ C2 市容环境 (城管)   ─ T-03 道路保洁 [保洁台账]
Campaign 2025-01-01 → 迎检 2027-06-30 (years 2025, 2026, 2027). One task: T-03 led by 市城管局 (the `unit`
actor's unit), supported by 市市场监督管理局 (`unit_other`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from apps.checklists.models import Campaign, Category, Item, Requirement, Standard, Task
from apps.regions.models import UnitType
from tests.checklists.factories import (
    CampaignFactory,
    CategoryFactory,
    ItemFactory,
    RequirementFactory,
    StandardFactory,
    TaskFactory,
)
from tests.conftest import World


@dataclass
class Book:
    """The small standard, its campaign and the one assigned task, by name."""

    standard: Standard
    c1: Category
    c2: Category
    organisation: Item
    funding: Item
    cleaning: Item
    plan: Requirement
    minutes: Requirement
    budget: Requirement
    ledger: Requirement
    campaign: Campaign
    task: Task


@pytest.fixture
def book(world: World, actors: dict[str, Any]) -> Book:
    """Build the small standard and campaign; `task` is T-03 for 市城管局 with 市场监管 supporting."""
    standard = StandardFactory(code="TST", name="测试标准")
    c1 = CategoryFactory(
        standard=standard, code="C1", name="组织管理", order=1, lead_unit_type=UnitType.AIWEI
    )
    c2 = CategoryFactory(
        standard=standard, code="C2", name="市容环境", order=2, lead_unit_type=UnitType.URBAN_MGMT
    )
    organisation = ItemFactory(category=c1, code="T-01", order=1, title="组织机构")
    funding = ItemFactory(category=c1, code="T-02", order=2, title="经费保障")
    cleaning = ItemFactory(category=c2, code="T-03", order=3, title="道路保洁")
    plan = RequirementFactory(item=organisation, order=1, name="工作方案")
    minutes = RequirementFactory(item=organisation, order=2, name="会议记录", per_year=True)
    budget = RequirementFactory(item=funding, order=1, name="经费文件")
    ledger = RequirementFactory(item=cleaning, order=1, name="保洁台账")
    campaign = CampaignFactory(
        name="2025—2027年创建周期",
        standard=standard,
        starts_on=date(2025, 1, 1),
        inspection_on=date(2027, 6, 30),
    )
    task = TaskFactory(
        campaign=campaign, item=cleaning, lead_unit=world.unit_city, deadline=date(2027, 3, 31)
    )
    task.supporting_units.set([world.unit_market])
    return Book(
        standard=standard,
        c1=c1,
        c2=c2,
        organisation=organisation,
        funding=funding,
        cleaning=cleaning,
        plan=plan,
        minutes=minutes,
        budget=budget,
        ledger=ledger,
        campaign=campaign,
        task=task,
    )
