"""Campaign, task and review pages: the access matrix on every page, and the flows behind them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.checklists.models import Evidence, EvidenceStatus, Task, TaskStatus
from apps.checklists.selectors import RISK_RULE
from apps.checklists.services import evidence_review, evidence_upload
from apps.core.numbers import forget_all_numbers
from tests.checklists.conftest import Book
from tests.checklists.factories import TaskFactory
from tests.checklists.files import exe_bytes, pdf_bytes, png_bytes, upload


def _urls(book: Book) -> dict[str, str]:
    return {
        "campaigns": reverse("campaigns:list"),
        "tree": reverse("campaigns:detail", args=[book.campaign.pk]),
        "readiness": reverse("campaigns:readiness", args=[book.campaign.pk]),
        "tasks": reverse("tasks:list"),
        "task": reverse("tasks:detail", args=[book.task.pk]),
    }


@pytest.mark.parametrize("name", ["campaigns", "tree", "readiness", "tasks", "task"])
def test_anonymous_is_sent_to_login(book: Book, login: Any, name: str) -> None:
    response = login("anon").get(_urls(book)[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["office", "leader", "inspector", "unit", "unit_other"])
@pytest.mark.parametrize("name", ["campaigns", "tree", "readiness", "tasks", "task"])
def test_office_leaders_and_the_task_units_can_read(book: Book, login: Any, who: str, name: str) -> None:
    assert login(who).get(_urls(book)[name]).status_code == 200


@pytest.mark.parametrize("who", ["grid", "street", "community"])
@pytest.mark.parametrize("name", ["tree", "readiness", "task"])
def test_users_without_a_unit_or_the_whole_view_get_404(book: Book, login: Any, who: str, name: str) -> None:
    assert login(who).get(_urls(book)[name]).status_code == 404


def test_unrelated_unit_cannot_open_the_task(
    book: Book, login: Any, world: Any, actors: dict[str, Any]
) -> None:
    other = TaskFactory(campaign=book.campaign, item=book.funding, lead_unit=world.unit_market)
    assert login("unit").get(reverse("tasks:detail", args=[other.pk])).status_code == 404
    assert (
        login("unit")
        .get(reverse("tasks:evidence_file", args=[_evidence(other, actors["office"]).pk]))
        .status_code
        == 404
    )


def _evidence(task: Task, actor: Any) -> Evidence:
    """One pending PDF on the task's first requirement (first campaign year where it is yearly)."""
    requirement = task.item.requirements.first()
    year = task.campaign.years[0] if requirement.per_year else None
    files = [upload("x.pdf", pdf_bytes())]
    return evidence_upload(task=task, requirement=requirement, year=year, files=files, actor=actor)[0]


def test_the_unit_sees_only_items_it_works_on_while_the_office_sees_the_whole_standard(
    book: Book, login: Any
) -> None:
    unit_page = login("unit").get(_urls(book)["tree"]).content.decode()
    office_page = login("office").get(_urls(book)["tree"]).content.decode()
    assert "T-03" in unit_page
    assert "T-01" not in unit_page
    assert all(code in office_page for code in ["T-01", "T-02", "T-03"])
    assert "分配任务" in office_page
    assert "分配任务" not in unit_page


def test_office_assigns_an_item_from_the_tree(book: Book, login: Any, world: Any) -> None:
    client = login("office")
    url = reverse("campaigns:assign", args=[book.campaign.pk, book.organisation.pk])
    response = client.post(
        url,
        {
            "lead_unit": world.unit_market.pk,
            "supporting_units": [world.unit_city.pk],
            "deadline": "2026-12-31",
            "responsible_person": "李四",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(campaign=book.campaign, item=book.organisation)
    assert task.lead_unit == world.unit_market
    assert list(task.supporting_units.all()) == [world.unit_city]


def test_assigning_past_the_inspection_date_shows_the_reason_and_saves_nothing(
    book: Book, login: Any, world: Any
) -> None:
    url = reverse("campaigns:assign", args=[book.campaign.pk, book.organisation.pk])
    response = login("office").post(url, {"lead_unit": world.unit_market.pk, "deadline": "2027-07-01"})
    assert response.status_code == 200
    assert "不能晚于迎检日期" in response.content.decode()
    assert not Task.objects.filter(item=book.organisation).exists()


@pytest.mark.parametrize("who", ["leader", "unit", "inspector"])
def test_only_the_office_may_assign(book: Book, login: Any, world: Any, who: str) -> None:
    url = reverse("campaigns:assign", args=[book.campaign.pk, book.organisation.pk])
    assert (
        login(who).post(url, {"lead_unit": world.unit_market.pk, "deadline": "2026-12-31"}).status_code == 403
    )
    bulk = reverse("campaigns:assign_category", args=[book.campaign.pk])
    assert login(who).post(bulk, {"category": book.c1.pk, "deadline": "2026-12-31"}).status_code == 403
    assert not Task.objects.filter(item=book.organisation).exists()


def test_bulk_assignment_by_category_reports_items_it_could_not_place(book: Book, login: Any) -> None:
    # No 爱卫办 unit exists in the test world, so both C1 items stay unassigned with a reason.
    response = login("office").post(
        reverse("campaigns:assign_category", args=[book.campaign.pk]),
        {"category": book.c1.pk, "deadline": "2026-12-31"},
        follow=True,
    )
    page = response.content.decode()
    assert "已按默认牵头单位分配 0 条" in page
    assert "找不到唯一的「爱卫办」类市级单位" in page


def test_unit_uploads_and_sees_the_review_comment(book: Book, login: Any, actors: dict[str, Any]) -> None:
    client = login("unit")
    response = client.post(
        reverse("tasks:upload", args=[book.task.pk]),
        {
            "requirement": book.ledger.pk,
            "uploads": [upload("台账.pdf", pdf_bytes()), upload("现场.png", png_bytes())],
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.filter(task=book.task).count() == 2
    first = Evidence.objects.filter(task=book.task).order_by("pk").first()
    evidence_review(evidence=first, actor=actors["office"], approve=False, comment="请加盖公章")
    page = client.get(reverse("tasks:detail", args=[book.task.pk])).content.decode()
    assert "请加盖公章" in page
    assert "台账.pdf" in page


def test_a_renamed_exe_is_refused_with_a_message_and_nothing_is_stored(book: Book, login: Any) -> None:
    response = login("unit").post(
        reverse("tasks:upload", args=[book.task.pk]),
        {
            "requirement": book.ledger.pk,
            "uploads": [upload("ok.pdf", pdf_bytes()), upload("报告.pdf", exe_bytes())],
        },
        follow=True,
    )
    assert "「报告.pdf」的内容不是允许的文件类型" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("who", ["unit_other", "leader"])
def test_supporting_units_and_leaders_cannot_upload(book: Book, login: Any, who: str) -> None:
    response = login(who).post(
        reverse("tasks:upload", args=[book.task.pk]),
        {"requirement": book.ledger.pk, "uploads": [upload("a.pdf", pdf_bytes())]},
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_evidence_file_is_served_to_readers_only(book: Book, login: Any, actors: dict[str, Any]) -> None:
    evidence = _evidence(book.task, actors["unit"])
    url = reverse("tasks:evidence_file", args=[evidence.pk])
    response = login("unit_other").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login("grid").get(url).status_code == 404
    assert login("anon").get(url).status_code == 302


def test_review_queue_is_for_the_office(book: Book, login: Any, actors: dict[str, Any]) -> None:
    _evidence(book.task, actors["unit"])
    assert login("office").get(reverse("review:queue")).status_code == 200
    for who in ["leader", "unit", "grid"]:
        assert login(who).get(reverse("review:queue")).status_code == 403


def test_bulk_return_needs_a_comment_and_changes_nothing_without_one(
    book: Book, login: Any, actors: dict[str, Any]
) -> None:
    first, second = _evidence(book.task, actors["unit"]), _evidence(book.task, actors["unit"])
    client = login("office")
    response = client.post(
        reverse("review:decide"), {"evidence": [first.pk, second.pk], "decision": "return"}, follow=True
    )
    assert "退回时请填写意见" in response.content.decode()
    assert set(Evidence.objects.values_list("status", flat=True)) == {EvidenceStatus.PENDING}
    client.post(reverse("review:decide"), {"evidence": [first.pk, second.pk], "decision": "approve"})
    assert set(Evidence.objects.values_list("status", flat=True)) == {EvidenceStatus.APPROVED}
    book.task.refresh_from_db()
    assert book.task.status == TaskStatus.DONE


def test_a_leader_cannot_review(book: Book, login: Any, actors: dict[str, Any]) -> None:
    evidence = _evidence(book.task, actors["unit"])
    assert (
        login("leader")
        .post(reverse("review:decide"), {"evidence": [evidence.pk], "decision": "approve"})
        .status_code
        == 403
    )
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING


def test_approving_all_evidence_turns_the_light_green(book: Book, login: Any, actors: dict[str, Any]) -> None:
    tree = _urls(book)["tree"]
    assert 'data-light="yellow"' in login("office").get(tree + "?light=yellow").content.decode()
    evidence_review(evidence=_evidence(book.task, actors["unit"]), actor=actors["office"], approve=True)
    page = login("office").get(tree).content.decode()
    assert f'id="item-{book.cleaning.pk}" data-light="green"' in page


def test_readiness_lists_reasons_for_each_item_at_risk(
    book: Book, login: Any, actors: dict[str, Any]
) -> None:
    evidence_review(
        evidence=_evidence(book.task, actors["unit"]), actor=actors["office"], approve=False, comment="模糊"
    )
    page = login("office").get(_urls(book)["readiness"]).content.decode()
    assert "材料被退回待重交 保洁台账" in page
    assert "未分解到责任单位" in page  # T-01, T-02 have no task


def test_readiness_cards_and_risk_section_count_the_same_items(book: Book, login: Any) -> None:
    Task.objects.filter(pk=book.task.pk).update(deadline=date(2025, 3, 1))
    response = login("office").get(_urls(book)["readiness"])
    page = response.content.decode()
    readiness = response.context["readiness"]
    assert len(readiness.at_risk) == readiness.lights["red"] == 1
    assert '<span class="n">1</span><span class="label"><span class="light red"></span> 有风险' in page
    assert "风险条款 1 条" in page
    assert "未就绪条款 2 条" in page  # T-01 and T-02 have no task: not ready, but not counted as risk
    assert f"有风险：{RISK_RULE}" in page
    assert '<span class="nowrap">2027-06-30</span>' in page


def test_overdue_tasks_are_red_with_their_deadline(book: Book, login: Any) -> None:
    Task.objects.filter(pk=book.task.pk).update(deadline=date(2025, 3, 1))
    page = login("office").get(_urls(book)["readiness"]).content.decode()
    assert "已超过完成时限 2025-03-01" in page


def test_tree_query_count_does_not_grow_with_items(
    book: Book, login: Any, actors: dict[str, Any], world: Any
) -> None:
    client = login("office")
    client.get(_urls(book)["tree"])

    with CaptureQueriesContext(connection) as few:
        client.get(_urls(book)["tree"])
    TaskFactory(campaign=book.campaign, item=book.organisation, lead_unit=world.unit_market)
    TaskFactory(campaign=book.campaign, item=book.funding, lead_unit=world.unit_market)
    _evidence(book.task, actors["unit"])
    with CaptureQueriesContext(connection) as many:
        client.get(_urls(book)["tree"])
    assert len(many) == len(few)


def _queries(client: Any, url: str) -> int:
    """How many SQL queries one GET of the page runs, every number computed (none remembered)."""
    forget_all_numbers()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_workbench_and_review_queue_queries_do_not_grow_with_rows(
    book: Book, login: Any, world: Any, actors: dict[str, Any]
) -> None:
    office = login("office")
    _evidence(book.task, actors["unit"])
    few = (_queries(office, reverse("tasks:list")), _queries(office, reverse("review:queue")))
    for item in (book.organisation, book.funding):
        task = TaskFactory(campaign=book.campaign, item=item, lead_unit=world.unit_city)
        task.supporting_units.set([world.unit_market])
        _evidence(task, actors["unit"])
        _evidence(task, actors["unit"])
    many = (_queries(office, reverse("tasks:list")), _queries(office, reverse("review:queue")))
    assert many == few


def _slot_form(page: str, requirement: Any, year: int | None) -> str:
    """The HTML of one slot's own upload form."""
    start = page.index(f'id="slot-{requirement.pk}-{year or "all"}"')
    return page[start : page.index("</form>", start)]


def test_each_missing_slot_has_its_own_upload_form(book: Book, login: Any, world: Any) -> None:
    task = TaskFactory(campaign=book.campaign, item=book.organisation, lead_unit=world.unit_city)
    client = login("unit")
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert page.count('class="slot-upload"') == 4  # 工作方案 + 会议记录 for 2025, 2026, 2027
    form = _slot_form(page, book.minutes, 2026)
    assert f'name="requirement" value="{book.minutes.pk}"' in form
    assert 'name="year" value="2026"' in form
    response = client.post(
        reverse("tasks:upload", args=[task.pk]),
        {
            "requirement": book.minutes.pk,
            "year": "2026",
            "via": "slot",
            "uploads": [upload("会议.pdf", pdf_bytes())],
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.get(task=task).year == 2026
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert page.count('class="slot-upload"') == 3  # the uploaded slot waits for review, no form
    assert f'id="slot-{book.minutes.pk}-2026"' not in page


def test_a_refused_file_keeps_its_slot_and_shows_the_reason_next_to_it(
    book: Book, login: Any, world: Any
) -> None:
    task = TaskFactory(campaign=book.campaign, item=book.organisation, lead_unit=world.unit_city)
    response = login("unit").post(
        reverse("tasks:upload", args=[task.pk]),
        {
            "requirement": book.minutes.pk,
            "year": "2026",
            "via": "slot",
            "uploads": [upload("纪要.pdf", exe_bytes())],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    reason = "「纪要.pdf」的内容不是允许的文件类型"
    assert reason in _slot_form(page, book.minutes, 2026)
    assert reason not in _slot_form(page, book.minutes, 2025)
    assert page.count(reason) == 1
    assert not Evidence.objects.exists()


def test_a_refused_file_in_the_general_form_keeps_the_chosen_requirement_and_year(
    book: Book, login: Any, world: Any
) -> None:
    task = TaskFactory(campaign=book.campaign, item=book.organisation, lead_unit=world.unit_city)
    response = login("unit").post(
        reverse("tasks:upload", args=[task.pk]),
        {"requirement": book.minutes.pk, "year": "2027", "uploads": [upload("纪要.pdf", exe_bytes())]},
    )
    page = response.content.decode()
    general = page[page.index('id="upload-form"') :]
    assert f'<option value="{book.minutes.pk}" selected>' in general
    assert '<option value="2027" selected>' in general
    assert (
        "「纪要.pdf」的内容不是允许的文件类型"
        in page[: page.index('id="upload-form"')].rsplit("补充上传", 1)[1]
    )
    assert not Evidence.objects.exists()


def test_a_slot_upload_without_a_file_says_so_at_the_slot(book: Book, login: Any) -> None:
    response = login("unit").post(
        reverse("tasks:upload", args=[book.task.pk]),
        {"requirement": book.ledger.pk, "year": "", "via": "slot"},
    )
    assert response.status_code == 200
    form = _slot_form(response.content.decode(), book.ledger, None)
    assert 'class="reasons upload-errors"' in form
    assert not Evidence.objects.exists()
