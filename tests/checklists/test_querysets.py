"""Who sees which campaigns, tasks, evidence and binders: `visible_to` is the one gate for each."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import Role, User
from apps.checklists.models import BinderExport, Campaign, Evidence, Task, TaskStatus
from apps.checklists.services import evidence_review, evidence_upload
from tests.accounts.factories import make_user
from tests.checklists.conftest import Book
from tests.checklists.factories import CampaignFactory, TaskFactory
from tests.checklists.files import pdf_bytes, upload
from tests.conftest import World
from tests.regions.factories import UnitFactory

SEE_ALL = ["admin", "office", "leader", "inspector"]
SEE_NONE = ["street", "street_other", "community", "grid", "grid2"]


@pytest.fixture
def other_task(book: Book) -> Task:
    """T-01 led by 市住建局, a unit none of the actors belongs to."""
    housing = UnitFactory(name="市住建局")
    return TaskFactory(campaign=book.campaign, item=book.organisation, lead_unit=housing)


@pytest.fixture
def outsider(world: World) -> User:
    """Staff of a unit that neither leads nor supports any task."""
    return make_user(Role.UNIT, username="t_unit_outsider", unit=UnitFactory(name="市体育局"))


@pytest.fixture
def evidence(book: Book, other_task: Task, actors: dict[str, User]) -> dict[str, Evidence]:
    """One file on the fixture task (uploaded by its lead unit) and one on the other task (by the office)."""

    def put(task: Task, requirement: object, actor: User) -> Evidence:
        files = [upload("材料.pdf", pdf_bytes())]
        [stored] = evidence_upload(task=task, requirement=requirement, year=None, files=files, actor=actor)
        return stored

    return {
        "mine": put(book.task, book.ledger, actors["unit"]),
        "other": put(other_task, book.plan, actors["office"]),
    }


# Tasks ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SEE_ALL)
def test_office_leaders_and_inspectors_see_every_task(
    name: str, book: Book, other_task: Task, actors: dict[str, User]
) -> None:
    assert set(Task.objects.visible_to(actors[name])) == {book.task, other_task}


def test_lead_unit_sees_the_task_it_leads_only(book: Book, other_task: Task, actors: dict[str, User]) -> None:
    assert list(Task.objects.visible_to(actors["unit"])) == [book.task]


def test_supporting_unit_sees_the_task_it_supports(
    book: Book, other_task: Task, actors: dict[str, User]
) -> None:
    assert list(Task.objects.visible_to(actors["unit_other"])) == [book.task]


def test_each_task_appears_once_for_a_unit_that_leads_and_supports_several(
    book: Book, world: World, other_task: Task, actors: dict[str, User]
) -> None:
    other_task.supporting_units.add(world.unit_market, UnitFactory(name="市教育局"))
    led = TaskFactory(campaign=book.campaign, item=book.funding, lead_unit=world.unit_market)
    # Leading and supporting the same task (task_update can leave it so) must not list it twice either.
    led.supporting_units.add(world.unit_city, world.unit_market)

    visible = list(Task.objects.visible_to(actors["unit_other"]))

    assert sorted(t.pk for t in visible) == sorted([book.task.pk, other_task.pk, led.pk])
    assert Task.objects.visible_to(actors["unit_other"]).count() == 3


def test_unit_that_neither_leads_nor_supports_sees_no_task(
    book: Book, other_task: Task, outsider: User
) -> None:
    assert not Task.objects.visible_to(outsider).exists()


@pytest.mark.parametrize("name", SEE_NONE)
def test_territorial_staff_and_grid_workers_see_no_task(
    name: str, book: Book, actors: dict[str, User]
) -> None:
    assert not Task.objects.visible_to(actors[name]).exists()


def test_anonymous_sees_no_task(book: Book) -> None:
    assert not Task.objects.visible_to(AnonymousUser()).exists()


def test_unit_staff_who_also_work_for_a_street_see_their_units_tasks(
    book: Book, world: World, other_task: Task
) -> None:
    both = make_user(
        Role.UNIT, Role.STREET, username="t_both", unit=world.unit_city, scope_region=world.street
    )

    assert list(Task.objects.visible_to(both)) == [book.task]


def test_visible_to_narrows_an_already_filtered_queryset(
    book: Book, other_task: Task, actors: dict[str, User]
) -> None:
    assert not Task.objects.filter(pk=other_task.pk).visible_to(actors["unit"]).exists()


# Evidence -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SEE_ALL)
def test_office_leaders_and_inspectors_see_all_evidence(
    name: str, evidence: dict[str, Evidence], actors: dict[str, User]
) -> None:
    assert set(Evidence.objects.visible_to(actors[name])) == set(evidence.values())


@pytest.mark.parametrize("name", ["unit", "unit_other"])
def test_lead_and_supporting_units_see_the_tasks_evidence_only(
    name: str, evidence: dict[str, Evidence], actors: dict[str, User]
) -> None:
    assert list(Evidence.objects.visible_to(actors[name])) == [evidence["mine"]]


def test_unrelated_unit_sees_no_evidence(evidence: dict[str, Evidence], outsider: User) -> None:
    assert not Evidence.objects.visible_to(outsider).exists()


@pytest.mark.parametrize("name", SEE_NONE)
def test_territorial_staff_and_grid_workers_see_no_evidence(
    name: str, evidence: dict[str, Evidence], actors: dict[str, User]
) -> None:
    assert not Evidence.objects.visible_to(actors[name]).exists()


def test_anonymous_sees_no_evidence(evidence: dict[str, Evidence]) -> None:
    assert not Evidence.objects.visible_to(AnonymousUser()).exists()


def test_pending_and_approved_split_the_evidence_by_review(
    evidence: dict[str, Evidence], actors: dict[str, User]
) -> None:
    evidence_review(evidence=evidence["other"], actor=actors["office"], approve=True)

    assert list(Evidence.objects.pending()) == [evidence["mine"]]
    assert list(Evidence.objects.approved()) == [evidence["other"]]


# Campaigns and binders ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*SEE_ALL, "unit", "unit_other"])
def test_campaigns_are_seen_by_the_office_leaders_inspectors_and_unit_staff(
    name: str, book: Book, actors: dict[str, User]
) -> None:
    later = CampaignFactory(
        standard=book.standard, starts_on=date(2028, 1, 1), inspection_on=date(2030, 6, 30)
    )

    assert set(Campaign.objects.visible_to(actors[name])) == {book.campaign, later}


def test_unit_with_no_task_still_sees_the_city_wide_campaigns(book: Book, outsider: User) -> None:
    assert list(Campaign.objects.visible_to(outsider)) == [book.campaign]


@pytest.mark.parametrize("name", SEE_NONE)
def test_territorial_staff_and_grid_workers_see_no_campaign(
    name: str, book: Book, actors: dict[str, User]
) -> None:
    assert not Campaign.objects.visible_to(actors[name]).exists()


def test_anonymous_sees_no_campaign(book: Book) -> None:
    assert not Campaign.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize(
    ("name", "sees"),
    [(name, True) for name in SEE_ALL] + [(name, False) for name in ["unit", "unit_other", *SEE_NONE]],
)
def test_binders_are_seen_only_by_those_who_see_every_task(
    name: str, sees: bool, book: Book, actors: dict[str, User]
) -> None:
    binder = BinderExport.objects.create(campaign=book.campaign, requested_by=actors["office"])

    assert list(BinderExport.objects.visible_to(actors[name])) == ([binder] if sees else [])


# Other task reads -----------------------------------------------------------------------------------------


def test_overdue_tasks_are_open_tasks_past_their_deadline(book: Book, world: World) -> None:
    late = TaskFactory(
        campaign=book.campaign, item=book.organisation, lead_unit=world.unit_city, deadline=date(2025, 6, 30)
    )
    TaskFactory(
        campaign=book.campaign,
        item=book.funding,
        lead_unit=world.unit_city,
        deadline=date(2025, 6, 30),
        status=TaskStatus.DONE,
    )

    assert list(Task.objects.overdue(date(2025, 7, 1))) == [late]
    assert not Task.objects.overdue(date(2025, 6, 30)).exists()


def test_led_by_lists_the_tasks_a_unit_leads(book: Book, world: World, other_task: Task) -> None:
    assert list(Task.objects.led_by(world.unit_city)) == [book.task]
    assert not Task.objects.led_by(world.unit_market).exists()


def test_due_first_orders_by_deadline_then_the_standards_order(
    book: Book, world: World, other_task: Task
) -> None:
    soon = TaskFactory(
        campaign=book.campaign, item=book.funding, lead_unit=world.unit_city, deadline=date(2025, 3, 31)
    )

    assert list(Task.objects.due_first()) == [soon, other_task, book.task]
