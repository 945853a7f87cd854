"""Every role's home, and the pages its numbers open for the campaign, fit a 390 px phone."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.checklists.fixtures import Book
from tests.dashboards.test_home_links import busy  # noqa: F401 (the shared busy-day fixture)
from tests.e2e.test_grid_worker_phone import sign_in

pytestmark = pytest.mark.e2e

WIDTH = 390
SHOTS = os.environ.get("HOME_SHOTS", "")  # a folder to keep screenshots in, when looking at the pages


def test_every_home_fits_a_390_px_phone(
    transactional_db: Any,
    browser: Any,
    live_server: Any,
    busy: Book,  # noqa: F811
) -> None:
    base = live_server.url
    pages = {
        "office": ["/", f"/campaigns/{busy.campaign.pk}/readiness/", "/regions/"],
        "leader": ["/"],
        "inspector": ["/"],
        "unit": ["/", f"/tasks/{busy.task.pk}/"],
        "street": ["/", "/regions/"],
        "community": ["/"],
        "grid": ["/"],
    }
    for name, paths in pages.items():
        viewport = {"width": WIDTH, "height": 844}
        context = browser.new_context(viewport=viewport, is_mobile=True, locale="zh-CN")
        page = context.new_page()
        sign_in(page, base, f"t_{name}")
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            assert "/accounts/login/" not in page.url, f"{name} was not signed in"
            if path == "/":
                assert page.locator("section[id$='-home']").count() >= 1, name
                if SHOTS:
                    page.screenshot(path=f"{SHOTS}/home-{name}.png", full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= WIDTH, f"{name} {path}: {width}px"
        context.close()
