"""Phone navigation: behind the 菜单 button every entry of the role's menu is on screen and opens its page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from apps.accounts.context_processors import navigation
from tests.conftest import World
from tests.e2e.test_grid_worker_phone import sign_in

pytestmark = pytest.mark.e2e

WIDTH = 360  # the `phone` fixture's viewport
SCROLL_WIDTH = "document.documentElement.scrollWidth"

# Where each role opens the menu from (a grid worker's "/" is the phone app, which has its own bar).
START = {
    "admin": "/",
    "office": "/",
    "leader": "/",
    "inspector": "/",
    "unit": "/",
    "street": "/",
    "community": "/",
    "grid": "/points/",
}


def menu_of(user: Any) -> list[tuple[str, str]]:
    """The entries the server gives this user: (label, url)."""
    request = RequestFactory().get("/")
    request.user = user
    return [(item["label"], item["url"]) for item in navigation(request)["nav_items"]]


@pytest.mark.parametrize("name", list(START))
def test_every_menu_entry_is_reachable_on_a_phone(
    phone: Any, live_server: Any, world: World, actors: dict[str, Any], transactional_db: Any, name: str
) -> None:
    base, start = live_server.url, START[name]
    entries = menu_of(actors[name])
    assert len(entries) >= 4, entries  # every role has more than fits in a 360 px bar

    sign_in(phone, base, f"t_{name}")
    phone.wait_for_load_state()
    for label, url in entries:
        phone.goto(base + start)
        menu = phone.locator("#main-menu")
        link = menu.get_by_role("link", name=label, exact=True)
        assert not link.is_visible(), f"{name}: {label} shows before the menu is opened"
        phone.get_by_role("button", name="菜单").click()
        link.wait_for(state="visible")
        box = link.bounding_box()
        assert box is not None, f"{name}: {label} has no box"
        assert 0 <= box["x"] <= box["x"] + box["width"] <= WIDTH, f"{name}: {label} at {box}"
        assert phone.evaluate(SCROLL_WIDTH) <= WIDTH, f"{name}: the open menu is too wide"
        link.click()
        phone.wait_for_url(lambda current, url=url: current.removeprefix(base) == url)
        assert phone.evaluate(SCROLL_WIDTH) <= WIDTH, f"{name}: {url} is too wide"
