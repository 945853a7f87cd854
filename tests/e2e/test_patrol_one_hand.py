"""Patrols on one hand: a point where all is well takes two taps, the counter and 完成本点 stay on screen,
the chosen answer carries a mark, toasts never sit on a control, offline is obvious everywhere (and 退出
asks first), small targets are 44 px, and 结束巡查 ends in a 巡查小结 with the ticket numbers.
"""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session

from apps.patrols.models import CheckItem, Finding, PatrolCheck
from apps.regions.models import PointType
from apps.tickets.models import Ticket
from tests.conftest import World
from tests.e2e.network import close_offline, go_offline, go_online
from tests.e2e.test_grid_worker_phone import sign_in
from tests.e2e.test_patrol_offline import camera_photo, watcher
from tests.patrols.factories import Templates, make_templates
from tests.regions.factories import PointFactory

pytestmark = pytest.mark.e2e
WIDTH, HEIGHT = 360, 740
SHOTS = Path(tempfile.gettempdir())  # screenshots (m-*.png) for a look by eye
EXTRA_ITEMS = 12  # enough for the market's checklist to run over several screens


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def long_checklist() -> Templates:
    """The test templates, the market's grown to 14 items."""
    templates = make_templates()
    for n in range(EXTRA_ITEMS):
        CheckItem.objects.create(
            template=templates.market,
            code=f"m-x{n:02d}",
            text=f"经营区域第 {n + 1} 处卫生整洁，无乱堆乱放",
            category=templates.categories.garbage,
            order=10 + n,
        )
    return templates


def start_patrol(page: Any, base: str, world: World) -> None:
    """Sign in as the grid worker, open /m/ and 开始巡查 in their grid (online)."""
    sign_in(page, base, "t_grid")
    page.goto(f"{base}/m/")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.click(f".grid-card[data-grid='{world.grid.pk}'] .start-patrol")
    page.wait_for_selector("#patrol")
    page.wait_for_selector("#pending[data-count='0']")


def in_view(page: Any, selector: str) -> bool:
    """The element's whole box is inside the phone's screen."""
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_a_point_where_all_is_well_is_finished_in_two_taps(
    phone: Any, live_server: Any, world: World, actors: Any, transactional_db: Any
) -> None:
    templates = long_checklist()
    items = list(CheckItem.objects.filter(template__in=[templates.market, templates.vector]))
    errors: list[str] = []
    page = watcher(errors)(phone)
    start_patrol(page, live_server.url, world)
    page.click(f"#patrol a[data-point='{world.p1.pk}']")
    page.wait_for_selector("#point")
    assert page.locator("#point .item").count() == len(items) == 15
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * HEIGHT
    no_sideways_scroll(page)

    # The counter, 其余合格 and 完成本点 are on screen at the top of the list and at its very bottom.
    assert page.inner_text("#checked-count").startswith(f"已检查 0/{len(items)} 项")
    for selector in ("#checked-count", "#rest-ok", "#finish-point"):
        assert in_view(page, selector), selector
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.locator(f".item[data-item='{items[-1].pk}']").wait_for()
    for selector in ("#checked-count", "#rest-ok", "#finish-point"):
        assert in_view(page, selector), selector
    page.screenshot(path=str(SHOTS / "m-point-dock.png"))

    # Tap one: every item 合格, each marked with a ✓ besides its colour.
    page.click("#rest-ok")
    page.wait_for_selector(f"#checked-count >> text=已检查 {len(items)}/{len(items)} 项")
    assert page.locator(".seg-ok[aria-pressed=true]").count() == len(items)
    mark = "getComputedStyle(document.querySelector('.seg-ok[aria-pressed=true]'), '::before').content"
    assert "✓" in page.evaluate(mark)
    assert page.is_disabled("#rest-ok")
    # Tap two: the point is done and reaches the server with every item 合格.
    page.click("#finish-point")
    page.wait_for_selector("#patrol")
    page.wait_for_selector("#pending[data-count='0']")
    results = PatrolCheck.objects.filter(visit__point=world.p1).values_list("item_id", "result")
    assert dict(results) == {item.pk: "ok" for item in items}
    assert "已巡 1/1" in page.inner_text("#patrol")
    assert errors == []


def test_answered_items_keep_their_answer_when_the_rest_is_marked_ok(
    phone: Any, live_server: Any, world: World, actors: Any, transactional_db: Any
) -> None:
    templates = make_templates()
    start_patrol(phone, live_server.url, world)
    phone.click(f"#patrol a[data-point='{world.p1.pk}']")
    phone.click(f".item[data-item='{templates.food_item.pk}'] [data-result=na]")
    phone.wait_for_selector("#checked-count >> text=已检查 1/3 项")
    phone.click("#rest-ok")
    phone.wait_for_selector("#checked-count >> text=已检查 3/3 项")
    phone.click("#finish-point")
    phone.wait_for_selector("#patrol")
    phone.wait_for_selector("#pending[data-count='0']")
    results = dict(PatrolCheck.objects.filter(visit__point=world.p1).values_list("item_id", "result"))
    assert results == {
        templates.garbage_item.pk: "ok",
        templates.food_item.pk: "na",
        templates.vector_item.pk: "ok",
    }


def report_snap(page: Any, point_id: int, photo: str) -> None:
    """随手拍 on a point of the patrol: 暴露垃圾, one photo, 上报, 保存."""
    page.click(f"#patrol a[data-point='{point_id}']")
    page.click("#snap")
    page.select_option("#category", label="暴露垃圾")
    page.set_input_files("#photos", photo)
    page.wait_for_selector("#photos-thumbs img")
    page.click("label.choice:has(#outcome-reported)")
    page.wait_for_selector("label.choice.on:has(#outcome-reported)")
    assert page.is_checked("#outcome-reported")
    mark = "getComputedStyle(document.querySelector('.choice.on > span'), '::before').content"
    assert "✓" in page.evaluate(mark)
    assert page.locator("label.choice.on").count() == 1
    page.click("#save-finding")
    page.wait_for_selector("#point")


def test_finishing_a_patrol_shows_its_summary_with_ticket_numbers(
    phone: Any, live_server: Any, world: World, actors: Any, transactional_db: Any, tmp_path: Path
) -> None:
    make_templates()
    toilet = PointFactory(
        name="东湖公厕",
        type=PointType.TOILET,
        grid=world.grid,
        responsible_unit=world.unit_city,
        lat=Decimal("30.260000"),
        lng=Decimal("120.160000"),
    )
    errors: list[str] = []
    page = watcher(errors)(phone)
    start_patrol(page, live_server.url, world)

    # Online: the report becomes a ticket at once. Its toast sits above the dock and lets taps through.
    report_snap(page, world.p1.pk, camera_photo(tmp_path, "a.jpg", (800, 600), "brown"))
    # Read the toast and the dock in one go, while the toast is up (it lives 2.5 s; a busy machine is slow).
    boxes = page.wait_for_function(
        """() => {
          const toast = document.querySelector('.toast'), dock = document.querySelector('#point-dock');
          if (!toast || !dock) return null;
          const t = toast.getBoundingClientRect(), d = dock.getBoundingClientRect();
          return {bottom: t.bottom, dockTop: d.top, events: getComputedStyle(toast).pointerEvents};
        }"""
    ).json_value()
    assert boxes["events"] == "none"
    assert boxes["bottom"] <= boxes["dockTop"]
    page.wait_for_selector("#pending[data-count='0']")
    first = Ticket.objects.get()
    page.click("#rest-ok")
    page.click("#finish-point")
    page.wait_for_selector("#patrol")

    # Offline: a second report waits in the outbox; the toilet is not finished.
    go_offline(phone.context)
    page.wait_for_selector("#offline-banner:visible")
    report_snap(page, toilet.pk, camera_photo(tmp_path, "b.jpg", (800, 600), "grey"))
    page.click("#point .back")
    page.click("#finish-patrol")
    page.wait_for_selector("#finish-patrol.armed")  # a point is left: the button asks again
    page.click("#finish-patrol")  # and the second tap confirms
    page.wait_for_selector("#summary")
    no_sideways_scroll(page)
    assert page.inner_text("#summary-visited") == "1/2"
    assert page.inner_text("#summary-findings") == "2 条"
    assert "未巡：东湖公厕" in page.inner_text("#summary")
    rows = page.locator("#summary-reports li")
    rows.nth(1).locator(".report-state").wait_for()
    assert rows.nth(0).inner_text() == f"暴露垃圾（东湖农贸市场）\n工单 {first.number}"
    assert rows.nth(1).inner_text() == "暴露垃圾（东湖公厕）\n待同步"
    page.screenshot(path=str(SHOTS / "m-summary.png"))

    # Back online, the waiting report is sent and its ticket number appears on the summary.
    go_online(phone.context)
    page.wait_for_selector("#pending[data-count='0']")
    second = Ticket.objects.exclude(pk=first.pk).get()
    page.wait_for_selector(f"#summary-reports >> text=工单 {second.number}")
    assert Finding.objects.count() == 2
    page.click("#summary-done")
    page.wait_for_selector(f".grid-card[data-grid='{world.grid.pk}'] .start-patrol")
    page.click("#last-summary")  # still there until the next patrol
    page.wait_for_selector("#summary")
    assert errors == []


SCREENS = ["#", "#patrol", "#point/{p1}", "#queue"]


def test_offline_shows_a_banner_on_every_screen_and_signing_out_asks_first(
    phone: Any, live_server: Any, world: World, actors: Any, transactional_db: Any
) -> None:
    make_templates()
    base = live_server.url
    errors: list[str] = []
    page = watcher(errors)(phone)
    start_patrol(page, base, world)
    assert page.locator("#offline-banner").is_hidden()

    go_offline(phone.context)
    for screen in SCREENS:
        page.evaluate(f"location.hash = '{screen.format(p1=world.p1.pk)}'")
        page.wait_for_selector("#offline-banner:visible")
        assert "当前离线" in page.inner_text("#offline-banner")
        assert in_view(page, "#offline-banner")
        no_sideways_scroll(page)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert in_view(page, "#offline-banner")  # it scrolls with nothing: it is docked under the header

    # 电脑版 needs the network: offline it says so and the worker stays in the app.
    page.click("#desktop-link")
    page.wait_for_selector(".toast >> text=电脑版需要网络")
    assert page.url.startswith(f"{base}/m/")

    # 退出 offline asks first; staying keeps the working app.
    page.click("#logout button")
    dialog = page.locator("#logout-offline")
    dialog.wait_for()
    assert "重新登录需要网络" in dialog.inner_text()
    assert "待同步的记录会保留" in dialog.inner_text()
    page.screenshot(path=str(SHOTS / "m-logout-offline.png"))
    page.click("#logout-stay")
    dialog.wait_for(state="hidden")
    page.wait_for_selector("#queue, #outbox")
    # Signing out anyway: a page that says what happened, never the browser's error page.
    page.click("#logout button")
    page.click("#logout-anyway")
    page.wait_for_selector("#signed-out")
    assert "重新登录需要网络" in page.inner_text("#signed-out")
    assert page.url.startswith(f"{base}/m/")

    # With the signal back the session ends on the server too.
    go_online(phone.context)
    page.wait_for_selector("#id_username")
    page.goto(f"{base}/m/")
    page.wait_for_selector("#id_username")

    # Offline now, /m/ is no longer kept on the phone: the 需要网络 page explains and does not link to itself.
    go_offline(phone.context)
    offline = page.goto(f"{base}/m/")
    assert "需要网络" in offline.text()
    hrefs = page.eval_on_selector_all("a", "(links) => links.map((a) => new URL(a.href).pathname)")
    assert "/m/" not in hrefs
    assert [e for e in errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_an_offline_sign_out_is_completed_when_the_app_is_next_opened_online(
    phone: Any, live_server: Any, world: World, actors: Any, transactional_db: Any
) -> None:
    make_templates()
    base = live_server.url
    start_patrol(phone, base, world)
    go_offline(phone.context)
    phone.click("#logout button")
    phone.click("#logout-anyway")
    phone.wait_for_selector("#signed-out")
    # The app is closed while still offline: the sign-out stays owed.
    context = phone.context
    close_offline(phone)
    page = context.new_page()
    page.wait_for_timeout(300)
    assert Session.objects.count() == 1
    go_online(context)
    page.goto(f"{base}/m/")
    page.wait_for_selector("#id_username")
    assert Session.objects.count() == 0  # the session really ended on the server
    sign_in(page, base, "t_grid")
    page.wait_for_url(f"{base}/m/")
    page.wait_for_selector(f".grid-card[data-grid='{world.grid.pk}']")


RGB = re.compile(r"rgba?\((\d+), (\d+), (\d+)")


def luminance(css: str) -> float:
    """WCAG relative luminance of a computed rgb() colour."""
    channels = [int(c) / 255 for c in RGB.match(css).groups()]  # type: ignore[union-attr]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_small_targets_are_44_px_and_secondary_text_is_legible(
    phone: Any, live_server: Any, world: World, actors: Any, transactional_db: Any, tmp_path: Path
) -> None:
    make_templates()
    start_patrol(phone, live_server.url, world)

    def at_least_44(selector: str) -> None:
        box = phone.locator(selector).first.bounding_box()
        assert box is not None, selector
        assert box["width"] >= 44, selector
        assert box["height"] >= 44, selector

    for selector in ("#patrol .back", "#logout button", "#desktop-link"):
        at_least_44(selector)
    phone.click("#patrol .back")
    phone.wait_for_selector(".grid-card")
    at_least_44(f".grid-card li[data-point='{world.p1.pk}'] a")  # 随手拍
    no_sideways_scroll(phone)
    phone.click(f".grid-card li[data-point='{world.p1.pk}'] a")
    phone.set_input_files("#photos", camera_photo(tmp_path, "x.jpg", (640, 480), "grey"))
    phone.wait_for_selector(".thumb-x")
    at_least_44(".thumb-x")
    at_least_44("#finding .back")
    no_sideways_scroll(phone)

    # Muted text against white (cards) and the page's grey: 4.5:1 is the floor, kept with a margin.
    muted = phone.evaluate("getComputedStyle(document.querySelector('#finding .muted')).color")
    for background in ("rgb(255, 255, 255)", "rgb(244, 246, 247)", "rgb(238, 241, 242)"):
        assert contrast(muted, background) >= 5.5, background
