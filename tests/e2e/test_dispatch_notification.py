"""A dispatched ticket reaches its unit at once: the office dispatches, the unit's bell counts it, and the
notification opens the ticket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apps.notifications.models import Notification
from apps.tickets.models import ProblemCategory, TicketSource, TicketStatus
from apps.tickets.services import ticket_create
from tests.e2e.test_grid_worker_phone import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_unit_is_notified_of_a_dispatch_and_opens_the_ticket_from_it(
    browser: Any, phone: Any, live_server: Any, world: Any, actors: Any, transactional_db: Any
) -> None:
    parent = ProblemCategory.objects.create(code="N-SR", name="市容环境", default_unit_type="urban_mgmt")
    garbage = ProblemCategory.objects.create(code="N-SR-01", name="暴露垃圾", parent=parent)
    ticket = ticket_create(
        actor=actors["office"],
        source=TicketSource.OFFICE,
        category=garbage,
        title="东湖农贸市场门口暴露垃圾",
        region=world.grid,
        point=world.p1,
    )
    base = live_server.url
    office = browser.new_context(locale="zh-CN").new_page()
    sign_in(office, base, "t_office")
    office.goto(f"{base}/tickets/{ticket.pk}/")
    office.locator("form[action$='/dispatch/'] button[type=submit]").click()
    office.wait_for_selector("text=待签收")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DISPATCHED
    assert Notification.objects.filter(recipient=actors["unit"]).count() == 1

    sign_in(phone, base, "t_unit")
    phone.wait_for_load_state()
    assert phone.inner_text(".bell .bell-count") == "1"
    phone.click(".bell")
    phone.get_by_role("button", name=f"新派遣工单，请签收：{ticket.number}").click()
    phone.wait_for_url(f"{base}/tickets/{ticket.pk}/")
    assert ticket.number in phone.inner_text("body")
    assert phone.locator(".bell .bell-count").count() == 0  # opening it marked it read
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    office.context.close()
