"""manage.py seed_demo_campaign: the demo campaign on the 2021 standard, idempotent and guarded."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.checklists.models import Campaign, Item, Standard, Task

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo_campaign", *args, stdout=out)
    return out.getvalue()


def test_demo_campaign_splits_two_categories_and_a_rerun_changes_nothing(settings: Any) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    run()
    campaign = Campaign.objects.get()
    assert campaign.standard.code == "NHC2021"
    tasks = Task.objects.filter(campaign=campaign)
    categories = set(tasks.values_list("item__category__code", flat=True))
    assert categories == {"C1", "C3"}
    # Every item of C1 has its one lead unit; C3 leaves only items without a unique default unit.
    assert (
        tasks.filter(item__category__code="C1").count()
        == Item.objects.filter(standard=campaign.standard, category__code="C1").count()
    )
    before = (Task.objects.count(), Item.objects.count())
    assert "已存在，未做任何修改" in run()
    assert (Task.objects.count(), Item.objects.count()) == before


def test_refuses_without_debug_or_demo_city(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG 未开启"):
        run()
    settings.DEBUG = True
    with pytest.raises(CommandError, match="请先运行 seed_demo"):
        run()
    assert not Campaign.objects.exists()
    assert not Standard.objects.exists()
