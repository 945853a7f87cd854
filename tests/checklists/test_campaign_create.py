"""campaign_create: the office opens a 创建 or 复审 cycle on a standard; nobody else may."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.checklists.models import Campaign, CampaignKind
from apps.checklists.services import campaign_create
from tests.checklists.factories import StandardFactory


def open_cycle(actor: Any, **changes: Any) -> Campaign:
    values = {
        "name": "2026—2028年复审周期",
        "kind": CampaignKind.REVIEW,
        "standard": StandardFactory(code="TST"),
        "starts_on": date(2026, 1, 1),
        "inspection_on": date(2028, 6, 30),
        **changes,
    }
    return campaign_create(actor=actor, **values)


@pytest.mark.parametrize("name", ["admin", "office"])
def test_the_office_opens_a_cycle(actors: dict[str, Any], name: str) -> None:
    campaign = open_cycle(actors[name])
    assert Campaign.objects.get(pk=campaign.pk).inspection_on == date(2028, 6, 30)


@pytest.mark.parametrize("name", ["leader", "unit", "street", "grid"])
def test_no_one_else_opens_a_cycle(actors: dict[str, Any], name: str) -> None:
    with pytest.raises(PermissionDenied):
        open_cycle(actors[name])
    assert not Campaign.objects.exists()


def test_a_cycle_inspected_before_it_starts_is_refused(actors: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        open_cycle(actors["office"], inspection_on=date(2025, 12, 31))
    assert not Campaign.objects.exists()
