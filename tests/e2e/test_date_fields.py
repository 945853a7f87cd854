"""Date fields in a real browser: a saved deadline shows in the picker and survives a save untouched."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from apps.checklists.models import Task
from tests.checklists.conftest import Book
from tests.e2e.test_grid_worker_phone import sign_in

pytestmark = pytest.mark.e2e


def test_task_edit_keeps_its_deadline_when_saved_untouched(
    browser: Any, live_server: Any, book: Book, transactional_db: Any
) -> None:
    page = browser.new_context(locale="zh-CN").new_page()
    sign_in(page, live_server.url, "t_office")
    page.goto(f"{live_server.url}/tasks/{book.task.pk}/edit/")
    # Chromium drops a value it cannot parse, so the field's live value is what the user sees.
    assert page.input_value("#id_deadline") == "2027-03-31"
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=任务已保存。")
    assert Task.objects.get(pk=book.task.pk).deadline == date(2027, 3, 31)
    page.context.close()


def test_campaign_assignment_forms_start_from_the_inspection_date(
    browser: Any, live_server: Any, book: Book, transactional_db: Any
) -> None:
    page = browser.new_context(locale="zh-CN").new_page()
    sign_in(page, live_server.url, "t_office")
    page.goto(f"{live_server.url}/campaigns/{book.campaign.pk}/items/{book.funding.pk}/assign/")
    assert page.input_value("#id_deadline") == "2027-06-30"
    page.goto(f"{live_server.url}/campaigns/{book.campaign.pk}/")
    bulk = page.locator("input[type=date][name=deadline]").first
    assert bulk.input_value() == "2027-06-30"
    page.context.close()
