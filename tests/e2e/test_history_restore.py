"""Going back to a filtered list shows the whole page, never the bare #results fragment: whether htmx restores
it from the server (its history cache missed: wants_fragment) or the browser loads it again after another
page (Vary: HX-Request)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World
from tests.e2e.test_grid_worker_phone import sign_in

pytestmark = pytest.mark.e2e


def swap_status(page: Any, value: str) -> None:
    """Choose a 状态 filter and wait for htmx to swap #results and push the filtered URL."""
    with page.expect_response(lambda r: f"status={value}" in r.url and r.request.headers.get("hx-request")):
        page.select_option("form.filters select[name=status]", value)
    page.wait_for_url(f"**/tickets/?*status={value}*")


def assert_whole_list_page(page: Any) -> None:
    """The base layout (top bar and nav) around the filter form and exactly one #results."""
    assert page.locator("header.topbar").count() == 1
    assert page.locator("nav[aria-label='主导航']").count() == 1
    assert page.locator("form.filters").count() == 1
    assert page.locator("#results").count() == 1
    assert page.locator("h1", has_text="整改工单").count() == 1


def forget_htmx_history(page: Any) -> None:
    """Empty htmx's history cache, as a full cache or a long session does: going back must ask the server."""
    # htmx 2.0.11 (vendored) keeps it in sessionStorage; earlier htmx 2 releases kept it in localStorage.
    for storage in ("sessionStorage", "localStorage"):
        page.evaluate(f"{storage}.removeItem('htmx-history-cache')")


@pytest.fixture
def office(browser: Any, live_server: Any, world: World, actors: Any, transactional_db: Any) -> Any:
    """The office, signed in on a desktop-sized page, on the ticket list."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "t_office")
    page.wait_for_selector("header.topbar")
    page.goto(f"{live_server.url}/tickets/")
    yield page
    context.close()


def test_back_after_an_htmx_history_cache_miss_restores_the_whole_page(office: Any) -> None:
    swap_status(office, "filed")
    swap_status(office, "closed")  # the other page: a second pushed URL in the same document
    forget_htmx_history(office)
    with office.expect_response(lambda r: r.request.headers.get("hx-history-restore-request") == "true"):
        office.go_back()
    office.wait_for_url("**/tickets/?*status=filed*")
    office.wait_for_load_state("networkidle")
    assert_whole_list_page(office)
    assert office.input_value("form.filters select[name=status]") == "filed"


def test_back_from_another_page_loads_the_whole_page(office: Any) -> None:
    swap_status(office, "filed")
    office.locator("nav[aria-label='主导航']").get_by_role("link", name="区域", exact=True).click()
    office.wait_for_url("**/regions/**")
    # A new document: htmx restores nothing; Chrome's back navigation reuses its HTTP cache, which holds the
    # fragment fetched for that URL unless the response said it varies on HX-Request.
    office.go_back()
    office.wait_for_url("**/tickets/?*status=filed*")
    office.wait_for_load_state("networkidle")
    assert_whole_list_page(office)
