"""Nothing scrolls sideways on a phone: the pages each role opens, with real-length 区划编码 and names."""

from __future__ import annotations

from typing import Any

import pytest

from apps.regions.models import Region
from tests.conftest import World
from tests.e2e.test_grid_worker_phone import sign_in

pytestmark = pytest.mark.e2e

PAGES = {
    "t_office": ["/", "/regions/{grid}/", "/regions/", "/points/", "/units/", "/tickets/", "/patrols/"],
    "t_street": ["/", "/regions/{grid}/", "/tickets/", "/patrols/"],
    "t_unit": ["/", "/tickets/inbox/", "/tasks/"],
    "t_grid": ["/", "/regions/{grid}/"],
}


@pytest.mark.parametrize("username", list(PAGES))
def test_pages_fit_a_phone(
    phone: Any, live_server: Any, world: World, actors: Any, transactional_db: Any, username: str
) -> None:
    # Real 12- and 15-digit codes, as the demo city and a real city have them.
    Region.objects.filter(pk=world.grid.pk).update(code="330102004004001")
    Region.objects.filter(pk=world.community.pk).update(code="330102004004")
    sign_in(phone, live_server.url, username)
    phone.wait_for_load_state()
    for path in PAGES[username]:
        phone.goto(live_server.url + path.format(grid=world.grid.pk))
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{username} {path} is {width}px wide"
