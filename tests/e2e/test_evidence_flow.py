"""The evidence loop in a browser: office assigns, the unit uploads a PDF, office approves, light greens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apps.checklists.models import Evidence, EvidenceStatus, Task
from tests.checklists.conftest import Book
from tests.checklists.files import exe_bytes, pdf_bytes
from tests.e2e.test_grid_worker_phone import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def pdf_file(tmp_path: Path) -> Path:
    """A real PDF on disk, as a unit's scanner would leave it."""
    path = tmp_path / "经费保障文件.pdf"
    path.write_bytes(pdf_bytes("budget 2026"))
    return path


@pytest.fixture
def exe_file(tmp_path: Path) -> Path:
    """A program renamed to .pdf: refused by its content."""
    path = tmp_path / "报告.pdf"
    path.write_bytes(exe_bytes())
    return path


def test_office_assigns_unit_uploads_office_approves_light_turns_green(
    browser: Any,
    live_server: Any,
    book: Book,
    world: Any,
    pdf_file: Path,
    exe_file: Path,
    transactional_db: Any,
) -> None:
    base = live_server.url
    office = browser.new_context(locale="zh-CN").new_page()
    sign_in(office, base, "t_office")
    office.goto(f"{base}/campaigns/{book.campaign.pk}/")
    row = office.locator(f"#item-{book.funding.pk}")
    assert row.get_attribute("data-light") == "grey"
    row.get_by_text("分配任务").click()
    office.select_option("#id_lead_unit", label="市城管局")
    office.fill("#id_deadline", "2026-12-31")
    office.get_by_role("button", name="保存").click()
    office.wait_for_selector("text=已将 T-02 分配给 市城管局")
    assert office.locator(f"#item-{book.funding.pk}").get_attribute("data-light") == "yellow"
    task = Task.objects.get(campaign=book.campaign, item=book.funding)

    unit = browser.new_context(locale="zh-CN").new_page()
    sign_in(unit, base, "t_unit")
    unit.goto(f"{base}/tasks/")
    unit.get_by_text("T-02 经费保障").click()
    # The missing slot has its own upload: a refused file keeps the slot and says why next to it.
    slot = unit.locator('[data-slot="经费文件"]')
    slot.locator("input[type=file]").set_input_files(str(exe_file))
    slot.get_by_role("button", name="上传", exact=True).click()
    slot = unit.locator('[data-slot="经费文件"]')
    assert "内容不是允许的文件类型" in slot.locator(".upload-errors").inner_text()
    assert not Evidence.objects.exists()
    slot.locator("input[type=file]").set_input_files(str(pdf_file))
    slot.get_by_role("button", name="上传", exact=True).click()
    unit.wait_for_selector("text=已上传 1 个文件，等待创卫办审核。")
    assert unit.locator('[data-slot="经费文件"]').get_attribute("data-state") == "pending"

    office.goto(f"{base}/review/")
    office.get_by_label("选择 经费保障文件.pdf").check()
    office.get_by_role("button", name="通过所选").click()
    office.wait_for_selector("text=已通过 1 份材料。")
    assert Evidence.objects.get(task=task).status == EvidenceStatus.APPROVED

    office.goto(f"{base}/campaigns/{book.campaign.pk}/")
    assert office.locator(f"#item-{book.funding.pk}").get_attribute("data-light") == "green"
    unit.reload()
    assert unit.locator('[data-slot="经费文件"]').get_attribute("data-state") == "approved"
    for page in (office, unit):
        page.context.close()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploads from the browser land in a per-test directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
