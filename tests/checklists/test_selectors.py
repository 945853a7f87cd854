"""The tree's lights and the readiness reasons, including reasons other apps plug in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from apps.checklists import selectors
from apps.checklists.models import Campaign, Item, TaskStatus
from apps.checklists.selectors import Light, campaign_readiness, campaign_tree, register_risk_source
from apps.checklists.services import evidence_review, evidence_upload, task_mark_failed
from tests.checklists.conftest import Book
from tests.checklists.files import pdf_bytes, upload

TODAY = date(2026, 11, 23)


def _lights(book: Book, user: Any) -> dict[str, str]:
    return {
        row.item.code: row.light for b in campaign_tree(book.campaign, user, today=TODAY) for row in b.rows
    }


def test_lights_follow_the_evidence(book: Book, actors: dict[str, Any]) -> None:
    office = actors["office"]
    assert _lights(book, office) == {"T-01": Light.GREY, "T-02": Light.GREY, "T-03": Light.YELLOW}
    [evidence] = evidence_upload(
        task=book.task,
        requirement=book.ledger,
        year=None,
        files=[upload("a.pdf", pdf_bytes())],
        actor=actors["unit"],
    )
    assert _lights(book, office)["T-03"] == Light.YELLOW
    evidence_review(evidence=evidence, actor=office, approve=False, comment="看不清")
    assert _lights(book, office)["T-03"] == Light.RED
    evidence_upload(
        task=book.task,
        requirement=book.ledger,
        year=None,
        files=[upload("b.pdf", pdf_bytes())],
        actor=actors["unit"],
    )
    evidence_review(evidence=book.task.evidence.get(original_name="b.pdf"), actor=office, approve=True)
    assert _lights(book, office)["T-03"] == Light.GREEN


def test_failed_and_overdue_tasks_are_red(book: Book, actors: dict[str, Any]) -> None:
    book.task.deadline = date(2026, 1, 1)
    book.task.save()
    assert _lights(book, actors["office"])["T-03"] == Light.RED
    book.task.deadline = date(2027, 1, 1)
    book.task.save()
    task_mark_failed(task=book.task, actor=actors["office"], reason="台账缺项")
    assert book.task.status == TaskStatus.FAILED
    readiness = campaign_readiness(book.campaign, actors["office"], today=TODAY)
    reasons = {row.item.code: row.reasons for _, row in readiness.at_risk}
    assert reasons["T-03"][0] == "市城管局：被判定未达标（台账缺项）"


def test_a_unit_sees_only_the_items_it_works_on(book: Book, actors: dict[str, Any]) -> None:
    assert set(_lights(book, actors["unit"])) == {"T-03"}
    assert set(_lights(book, actors["unit_other"])) == {"T-03"}  # supporting


@pytest.fixture
def indicator_source() -> Iterator[Any]:
    """A risk source like the indicators app will register; removed again after the test."""

    def source(campaign: Campaign, items: list[Item]) -> dict[int, list[str]]:
        return {item.pk: ["指标「道路机械化清扫率」未达标"] for item in items if item.code == "T-03"}

    register_risk_source(source)
    yield source
    selectors._risk_sources.remove(source)


def test_other_apps_can_add_reasons_that_turn_an_item_red(
    book: Book, actors: dict[str, Any], indicator_source: Any
) -> None:
    [evidence] = evidence_upload(
        task=book.task,
        requirement=book.ledger,
        year=None,
        files=[upload("a.pdf", pdf_bytes())],
        actor=actors["unit"],
    )
    evidence_review(evidence=evidence, actor=actors["office"], approve=True)
    readiness = campaign_readiness(book.campaign, actors["office"], today=TODAY)
    rows = {row.item.code: row for _, row in readiness.at_risk}
    assert rows["T-03"].light == Light.RED
    assert rows["T-03"].reasons == ["指标「道路机械化清扫率」未达标"]


def test_readiness_counts_per_category_and_unit(book: Book, actors: dict[str, Any]) -> None:
    readiness = campaign_readiness(book.campaign, actors["office"], today=TODAY)
    assert readiness.lights == {Light.GREY: 2, Light.YELLOW: 1}
    [unit] = readiness.units
    assert (unit.name, unit.tasks, unit.done, unit.missing) == ("市城管局", 1, 0, 1)
    assert [b.category.code for b in readiness.categories] == ["C1", "C2"]
    # Nothing is red, so nothing is at risk; the rest is listed as not ready, grey before yellow.
    assert readiness.at_risk == []
    assert [row.item.code for _, row in readiness.not_ready] == ["T-01", "T-02", "T-03"]
