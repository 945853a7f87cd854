"""The whole ticket loop in a browser: office files and dispatches, the unit accepts and submits an
after-photo, the grid worker re-checks it on a phone, and it closes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from apps.tickets.models import EventAction, ProblemCategory, Ticket, TicketStatus
from tests.e2e.test_grid_worker_phone import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def garbage(transactional_db: Any) -> ProblemCategory:
    """市容环境 / 暴露垃圾: 4 工作时, normally 城管 (市城管局 in the test world)."""
    parent = ProblemCategory.objects.create(code="E-SR", name="市容环境", default_unit_type="urban_mgmt")
    return ProblemCategory.objects.create(
        code="E-SR-01", name="暴露垃圾", parent=parent, deadline_value=4, deadline_unit="work_hour"
    )


def photo(tmp_path: Path, name: str, colour: str) -> str:
    """A real JPEG on disk, as a phone camera leaves it."""
    path = tmp_path / name
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_office_dispatches_unit_fixes_grid_rechecks_ticket_closes(
    browser: Any, live_server: Any, world: Any, actors: Any, garbage: ProblemCategory, tmp_path: Path
) -> None:
    base = live_server.url
    office = browser.new_context(locale="zh-CN").new_page()
    sign_in(office, base, "t_office")
    office.goto(f"{base}/tickets/new/")
    office.select_option("#id_category", label="暴露垃圾")
    office.fill("#id_title", "东湖农贸市场门口暴露垃圾")
    # 所在区域 is found by typing; its points load for it and are searched by name.
    office.fill("#id_region_q", "东湖1")
    assert office.input_value("#id_region") == str(world.grid.pk)  # the one match is chosen
    office.fill("#id_point_q", "农贸")
    office.check(f"input[name=point][value='{world.p1.pk}']")
    office.set_input_files("#id_photos", photo(tmp_path, "before.jpg", "brown"))
    office.get_by_role("button", name="上报").click()
    office.wait_for_selector("text=待派遣")
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.FILED
    # The routing suggestion (城管 → 市城管局) is preselected; the office only confirms.
    assert office.locator("#id_dispatch_unit option:checked").inner_text() == "市城管局"
    office.locator("form[action$='/dispatch/'] button[type=submit]").click()
    office.wait_for_selector("text=待签收")

    unit = browser.new_context(locale="zh-CN").new_page()
    sign_in(unit, base, "t_unit")
    unit.goto(f"{base}/tickets/inbox/")
    unit.get_by_text(ticket.number).first.click()
    unit.locator("form[action$='/accept/'] button[type=submit]").click()
    unit.wait_for_selector("text=整改中")
    unit.fill("#id_submit_comment", "已清运并冲洗地面")
    unit.set_input_files("#id_submit_photos", photo(tmp_path, "after.jpg", "green"))
    unit.locator("form[action$='/submit/'] button[type=submit]").click()
    unit.wait_for_selector("text=待核查")

    grid = browser.new_context(
        locale="zh-CN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    ).new_page()
    sign_in(grid, base, "t_grid")
    grid.goto(f"{base}/tickets/{ticket.pk}/")
    assert grid.evaluate("document.documentElement.scrollWidth") <= 360
    grid.get_by_role("button", name="通过，销号").click()
    grid.wait_for_selector("text=已销号")

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.closed_on_time is True
    steps = list(ticket.events.values_list("action", flat=True))
    assert steps == [
        EventAction.CREATE,
        EventAction.DISPATCH,
        EventAction.ACCEPT,
        EventAction.SUBMIT,
        EventAction.PASS,
    ]
    assert sorted(ticket.photos.values_list("kind", flat=True)) == ["after", "before"]
    for page in (office, unit, grid):
        page.context.close()
