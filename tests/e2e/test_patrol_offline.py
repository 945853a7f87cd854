"""A grid worker patrols on a phone that loses its signal: findings with photos are queued on the phone,
survive closing the page, and reach the server exactly once when the signal returns — one of them as a ticket
sent to the responsible unit. Also: a refused entry is kept and shown, and 核查 needs the network.

Screenshots of every screen at 360 px land in the temporary folder (m-*.png) for a look by eye.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from apps.patrols.models import Finding, FindingPhoto, FindingPhotoKind, Patrol, PatrolCheck
from apps.regions.models import Point, PointType
from apps.tickets.models import Ticket, TicketSource, TicketStatus
from tests.conftest import World
from tests.e2e.network import close_offline, go_offline, go_online
from tests.e2e.test_grid_worker_phone import sign_in
from tests.patrols.factories import make_templates
from tests.regions.factories import PointFactory
from tests.tickets.factories import at, in_progress, submit

pytestmark = pytest.mark.e2e
SHOTS = Path(tempfile.gettempdir())
PHONE_WIDTH = 360

# What the queued photos measure, read back from IndexedDB while offline.
QUEUED_SIZES = """async () => {
  const sizes = [];
  for (const entry of await window.cwm.store.pending(window.cwm.user())) {
    for (const [field, blob] of entry.files || []) {
      const bitmap = await createImageBitmap(blob);
      sizes.push([field, bitmap.width, bitmap.height, blob.type]);
    }
  }
  return sizes;
}"""


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def context(browser: Any, world: World) -> Iterator[Any]:
    """A phone in Shanghai standing at 东湖农贸市场, location allowed; closed even when the test fails."""
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        permissions=["geolocation"],
        geolocation={"latitude": float(world.p1.lat), "longitude": float(world.p1.lng), "accuracy": 8},
    )
    yield context
    context.close()


def camera_photo(tmp_path: Path, name: str, size: tuple[int, int], colour: str) -> str:
    """A real JPEG as a phone camera leaves it, with some shapes so it is not a flat colour."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, min(size), 97):
        draw.rectangle((step, step, step + 60, step + 40), fill="white")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return str(path)


def watcher(errors: list[str]) -> Callable[[Any], Any]:
    """Collect console errors and uncaught exceptions of every page it is given."""

    def watched(page: Any) -> Any:
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    return watched


def wait_pending(page: Any, count: int, timeout: int = 30000) -> None:
    page.wait_for_function(f"document.querySelector('#pending').dataset.count === '{count}'", timeout=timeout)


def fits(page: Any, name: str) -> None:
    """Nothing is wider than the phone; keep a screenshot to look at."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, name
    page.screenshot(path=str(SHOTS / f"m-{name}.png"), full_page=True)


def record_finding(page: Any, item_id: int, photo: str, outcome: str, after: str | None = None) -> None:
    """有问题 on a check item, then the finding form: photo, note, outcome (and after-photo), 保存."""
    page.click(f".item[data-item='{item_id}'] [data-result=problem]")
    page.wait_for_selector("#finding")
    page.set_input_files("#photos", photo)
    page.wait_for_selector("#photos-thumbs img")
    page.fill("#note", "巡查发现")
    page.click(f"label.choice:has(#outcome-{outcome})")
    if after:
        page.set_input_files("#after-photos", after)
        page.wait_for_selector("#after-photos-thumbs img")
    fits(page, f"finding-{outcome}")
    page.click("#save-finding")
    page.wait_for_selector("#point")


def test_findings_recorded_offline_arrive_once_after_the_signal_returns(
    context: Any, live_server: Any, world: World, actors: Any, transactional_db: Any, tmp_path: Path
) -> None:
    templates = make_templates()
    # A second point, further from where the phone is: the home list puts the market (nearer) first.
    PointFactory(
        name="东湖公厕",
        type=PointType.TOILET,
        grid=world.grid,
        responsible_unit=world.unit_city,
        lat=Decimal("30.260000"),
        lng=Decimal("120.160000"),
    )
    base = live_server.url
    errors: list[str] = []
    watched = watcher(errors)
    page = watched(context.new_page())
    sign_in(page, base, "t_grid")
    page.goto(f"{base}/m/")
    page.wait_for_selector(f".grid-card[data-grid='{world.grid.pk}']")
    page.wait_for_selector("text=已定位")
    names = page.locator(f".grid-card[data-grid='{world.grid.pk}'] .points b").all_inner_texts()
    assert names == ["东湖农贸市场", "东湖公厕"]
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # Chromium's own verdict on the manifest, icons and service worker: nothing stops installing the app but
    # the test browser's private (incognito-like) context itself.
    installability = context.new_cdp_session(page).send("Page.getInstallabilityErrors")
    assert [error["errorId"] for error in installability["installabilityErrors"]] == ["in-incognito"]
    fits(page, "home")

    # 开始巡查 online: the patrol reaches the server before the signal goes.
    page.click(f".grid-card[data-grid='{world.grid.pk}'] .start-patrol")
    page.wait_for_selector("#patrol")
    wait_pending(page, 0)
    assert Patrol.objects.filter(worker=actors["grid"], grid=world.grid).count() == 1
    fits(page, "patrol")

    go_offline(context)
    page.wait_for_selector("#net.off")
    page.click(f"#patrol a[data-point='{world.p1.pk}']")
    page.wait_for_selector("#point")
    record_finding(
        page,
        templates.garbage_item.pk,
        camera_photo(tmp_path, "garbage.jpg", (2000, 1500), "brown"),
        "reported",
    )
    record_finding(
        page,
        templates.food_item.pk,
        camera_photo(tmp_path, "stall.jpg", (1500, 2000), "olive"),
        "fixed",
        after=camera_photo(tmp_path, "stall-after.jpg", (800, 600), "green"),
    )
    assert page.inner_text("#pending") == "待同步 2 条"
    page.click(f".item[data-item='{templates.vector_item.pk}'] [data-result=ok]")
    page.wait_for_selector(
        f".item[data-item='{templates.vector_item.pk}'] [data-result=ok][aria-pressed=true]"
    )
    fits(page, "point")
    page.click("#finish-point")
    page.wait_for_selector("#patrol")
    wait_pending(page, 3)
    assert Finding.objects.count() == 0

    # Downscaled on the phone before queueing; the small after-photo is not enlarged.
    assert sorted(page.evaluate(QUEUED_SIZES)) == [
        ["after_photos", 800, 600, "image/jpeg"],
        ["photos", 1200, 1600, "image/jpeg"],
        ["photos", 1600, 1200, "image/jpeg"],
    ]

    # Close the app while still offline and open it again: the service worker serves the page it cached (a
    # ticket waiting for 核查 since then is not counted yet, so the page did not come from the server), the
    # queue is still in IndexedDB, the patrol is still open.
    close_offline(page)
    submit(actors, in_progress(actors, world, templates.categories.garbage, when=at(20, 9)), when=at(20, 11))
    page = watched(context.new_page())
    response = page.goto(f"{base}/m/#patrol")
    assert response.from_service_worker
    page.wait_for_selector("#patrol")
    assert page.inner_text("#recheck-count") == "0"
    wait_pending(page, 3)
    assert "已巡 1/2" in page.inner_text("#patrol")
    page.click("#pending")
    page.wait_for_selector("#pending-list li b")
    assert page.locator("#pending-list li b").all_inner_texts() == [
        "问题：垃圾桶未加盖、满溢（东湖农贸市场）· 上报",
        "问题：直接入口食品缺三防设施（东湖农贸市场）· 已现场整改",
        "巡查结果：东湖农贸市场（3 项）",
    ]
    fits(page, "outbox-offline")
    assert Finding.objects.count() == 0

    go_online(context)
    wait_pending(page, 0)
    page.goto(f"{base}/m/")  # online again: the page comes from the server
    assert page.inner_text("#recheck-count") == "1"
    page.click("text=继续巡查")
    page.wait_for_selector("#patrol")
    page.click("#finish-patrol")
    page.wait_for_selector("#finish-patrol.armed")  # a point is left: the button asks again
    page.click("#finish-patrol")  # and the second tap confirms
    page.wait_for_selector("#summary")  # 巡查小结 first (tested in test_patrol_one_hand.py), then home
    page.click("#summary-done")
    page.wait_for_selector(f".grid-card[data-grid='{world.grid.pk}'] .start-patrol")
    wait_pending(page, 0)
    assert page.get_attribute("#failed", "data-count") == "0"

    patrol = Patrol.objects.get()
    assert patrol.ended_at is not None
    assert patrol.track  # the phone's position while walking, one point per 30 s at most
    assert patrol.track[0][:2] == [float(world.p1.lat), float(world.p1.lng)]
    results = dict(PatrolCheck.objects.filter(visit__patrol=patrol).values_list("item_id", "result"))
    assert results == {
        templates.garbage_item.pk: "problem",
        templates.food_item.pk: "problem",
        templates.vector_item.pk: "ok",
    }

    findings = {finding.outcome: finding for finding in Finding.objects.all()}
    assert Finding.objects.count() == 2
    assert set(findings) == {"reported", "fixed"}
    assert all(
        finding.patrol_id == patrol.pk and finding.point_id == world.p1.pk for finding in findings.values()
    )
    assert FindingPhoto.objects.count() == 3
    assert all(max(photo.width, photo.height) <= 1600 for photo in FindingPhoto.objects.all())
    fixed_kinds = sorted(findings["fixed"].photos.values_list("kind", flat=True))
    assert fixed_kinds == [FindingPhotoKind.AFTER, FindingPhotoKind.BEFORE]
    assert findings["fixed"].ticket_id is None

    ticket = Ticket.objects.get(source=TicketSource.PATROL)
    assert ticket.source == TicketSource.PATROL
    assert findings["reported"].ticket_id == ticket.pk
    assert ticket.status == TicketStatus.DISPATCHED
    assert ticket.responsible_unit == world.unit_city
    assert Ticket.objects.visible_to(actors["unit"]).filter(pk=ticket.pk).exists()
    assert errors == []


def test_a_refused_finding_is_kept_with_the_servers_message_until_discarded(
    context: Any, live_server: Any, world: World, actors: Any, transactional_db: Any, tmp_path: Path
) -> None:
    make_templates()
    base = live_server.url
    errors: list[str] = []
    page = watcher(errors)(context.new_page())
    sign_in(page, base, "t_grid")
    page.goto(f"{base}/m/")
    page.wait_for_selector(f".grid-card li[data-point='{world.p1.pk}']")

    # 随手拍 offline, without a patrol; meanwhile the office retires the point.
    go_offline(context)
    page.wait_for_selector("#net.off")
    page.click(f".grid-card li[data-point='{world.p1.pk}'] a")
    page.wait_for_selector("#finding")
    page.click("#save-finding")
    assert page.inner_text("[role=alert]") == "请选择问题类别。"
    page.select_option("#category", label="暴露垃圾")
    page.set_input_files("#photos", camera_photo(tmp_path, "bin.jpg", (1200, 900), "grey"))
    page.wait_for_selector("#photos-thumbs img")
    page.click("label.choice:has(#outcome-reported)")
    page.click("#save-finding")
    page.wait_for_selector(".grid-card")
    wait_pending(page, 1)
    Point.objects.filter(pk=world.p1.pk).update(is_active=False)

    go_online(context)
    wait_pending(page, 0)
    page.wait_for_selector("#failed[data-count='1']")
    fits(page, "failed-badge")
    page.click("#failed")
    page.wait_for_selector("#failed-list .bad-text")
    assert page.inner_text("#failed-list .bad-text") == "点位「东湖农贸市场」已停用。"
    assert "问题：暴露垃圾（东湖农贸市场）· 上报" in page.inner_text("#failed-list")
    fits(page, "outbox-failed")
    assert Finding.objects.count() == 0

    # Still there after closing the app; gone only when the worker discards it (two taps).
    page.reload()
    page.wait_for_selector("#failed-list .bad-text")
    page.click("#failed-list .danger")
    page.click("#failed-list .danger.armed")  # the second tap confirms
    page.wait_for_selector("#failed[hidden]", state="attached")
    assert page.get_attribute("#failed", "data-count") == "0"
    assert Finding.objects.count() == 0
    assert Ticket.objects.count() == 0
    # The browser logs the refused request itself; nothing else may go wrong.
    assert [e for e in errors if "status of 400" not in e] == []


def test_grid_worker_rechecks_on_the_phone_and_needs_the_network_for_it(
    context: Any, live_server: Any, world: World, actors: Any, transactional_db: Any
) -> None:
    templates = make_templates()
    ticket = in_progress(actors, world, templates.categories.garbage, when=at(20, 9), point=world.p1)
    ticket = submit(actors, ticket, when=at(20, 11))
    base = live_server.url
    errors: list[str] = []
    page = watcher(errors)(context.new_page())
    sign_in(page, base, "t_grid")
    page.goto(f"{base}/m/")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    assert page.inner_text("#recheck-count") == "1"
    page.click("text=待核查工单")
    page.click(f"text={ticket.title}")
    page.wait_for_selector("#recheck-form")
    assert page.evaluate("document.querySelector('#after-photos img').naturalWidth") > 0
    fits(page, "recheck")

    page.click("label.choice:has(#passed-no)")
    page.click("#recheck-form button[type=submit]")
    assert "请填写返工原因" in page.inner_text("#recheck-form")
    page.click("label.choice:has(#passed-yes)")
    page.click("#recheck-form button[type=submit]")
    page.wait_for_selector("text=核查通过，工单已销号。")
    fits(page, "rechecks-after")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED

    go_offline(context)
    page.goto(f"{base}/m/rechecks/")
    assert "需要网络" in page.inner_text("h1")
    assert errors == []


CACHED_SHELLS = "async () => (await caches.keys()).filter((name) => name.startsWith('cw-m-')).length"


def test_signing_out_forgets_the_cached_page_but_keeps_the_outbox(
    context: Any, live_server: Any, world: World, actors: Any, transactional_db: Any
) -> None:
    make_templates()
    base = live_server.url
    page = context.new_page()
    sign_in(page, base, "t_grid")
    page.goto(f"{base}/m/")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function(f"({CACHED_SHELLS})().then((count) => count === 1)")
    page.wait_for_selector(f".grid-card[data-grid='{world.grid.pk}'] .start-patrol")  # grids loaded first
    go_offline(context)
    page.click(f".grid-card[data-grid='{world.grid.pk}'] .start-patrol")
    page.wait_for_selector("#patrol")
    wait_pending(page, 1)
    go_online(context)
    page.evaluate("window.cwm.sync = async () => {}")  # hold the entry back: signing out must not drop it
    page.click("#logout button")
    page.wait_for_url("**/accounts/login/**")
    assert page.evaluate(CACHED_SHELLS) == 0
    go_offline(context)
    offline = page.goto(f"{base}/m/")
    assert "需要网络" in offline.text()
    go_online(context)
    sign_in(page, base, "t_grid")
    page.goto(f"{base}/m/")
    wait_pending(page, 0)
    assert Patrol.objects.filter(worker=actors["grid"], grid=world.grid).count() == 1


def test_an_expired_login_keeps_the_outbox_until_the_worker_signs_in_again(
    context: Any, live_server: Any, world: World, actors: Any, transactional_db: Any
) -> None:
    make_templates()
    base = live_server.url
    page = context.new_page()
    sign_in(page, base, "t_grid")
    page.goto(f"{base}/m/")
    page.wait_for_selector(f".grid-card[data-grid='{world.grid.pk}']")
    context.clear_cookies()  # the session ends (expired, or signed out in another tab)
    page.click(f".grid-card[data-grid='{world.grid.pk}'] .start-patrol")
    page.wait_for_selector("#auth-notice:not([hidden])")
    assert "登录已过期" in page.inner_text("#auth-notice")
    wait_pending(page, 1)
    assert not Patrol.objects.exists()

    sign_in(page, base, "t_grid")
    page.goto(f"{base}/m/")
    wait_pending(page, 0)
    assert page.locator("#auth-notice").is_hidden()
    assert Patrol.objects.filter(worker=actors["grid"], grid=world.grid).count() == 1
