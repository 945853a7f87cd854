"""A grid worker signs in on a phone and sees their own grid and points, and nothing of the next grid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.accounts.factories import PASSWORD
from tests.conftest import World

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "bench" / "results"


def sign_in(page: Any, base: str, username: str) -> None:
    """Fill in the login form."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_grid_worker_sees_their_grid_on_a_phone(
    phone: Any, live_server: Any, world: World, actors: Any, transactional_db: Any
) -> None:
    sign_in(phone, live_server.url, "t_grid")
    # A grid worker's day is the phone app: signing in lands there, on their own grids.
    phone.wait_for_url(f"{live_server.url}/m/")
    phone.wait_for_selector("#app >> text=东湖1格")
    assert "东湖2格" not in phone.inner_text("#app")
    phone.goto(f"{live_server.url}/")
    phone.wait_for_selector("#grid-home")
    home = phone.inner_text("#grid-home")
    assert "东湖1格" in home
    assert "东湖2格" not in home
    # Nothing on the page is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "grid-home-phone.png"), full_page=True)

    phone.click("text=东湖1格")
    phone.wait_for_selector("text=东湖农贸市场")
    phone.click("text=东湖农贸市场")
    assert "东湖农贸市场" in phone.inner_text("h1")

    response = phone.goto(f"{live_server.url}/points/{world.p2.pk}/")
    assert response.status == 404


def test_login_error_is_shown_in_chinese(
    phone: Any, live_server: Any, actors: Any, transactional_db: Any
) -> None:
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", "t_grid")
    phone.fill("#id_password", "wrong-password")
    phone.click("button[type=submit]")
    assert "用户名或密码错误" in phone.inner_text(".errorlist")
