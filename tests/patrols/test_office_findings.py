"""/patrols/ findings and patrols: the lists, their filters and flat query counts, the detail pages.

`grid` works 东湖1格 (p1 东湖农贸市场), `grid2` works 东湖2格 (p2 东湖路); `street` has 东湖街道,
`street_other` 西山街道. The week looked at is 2026-W48 (Monday 23 – Sunday 29 November 2026, Shanghai time).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.core.numbers import forget_all_numbers
from apps.core.pages import PER_PAGE
from apps.patrols.models import Finding, Patrol
from apps.tickets.models import Ticket
from tests.conftest import World
from tests.patrols.conftest import FINDINGS, PATROLS, Week, at, find, page, text
from tests.patrols.factories import Templates
from tests.tickets.factories import open_ticket

pytestmark = pytest.mark.django_db


# --- findings ---


def test_findings_list_rows_link_tickets_and_thumbnails(login: Any, week: Week) -> None:
    response = page(login("office"), FINDINGS)
    assert [f.pk for f in response.context["page"]] == [week.fixed.pk, week.reported.pk]  # newest first
    html = text(response)
    ticket = week.reported.ticket
    assert f'href="{reverse("tickets:detail", args=[ticket.pk])}">{ticket.number}</a>' in html
    for p in week.fixed.photos.all():
        assert f'src="{reverse("patrols:finding-photo", args=[p.pk])}?size=thumb"' in html
    assert 'loading="lazy"' in html
    assert "东湖农贸市场" in html


def test_a_ticket_the_user_cannot_open_is_shown_without_a_link(
    login: Any, actors: dict[str, User], world: World, templates: Templates, week: Week
) -> None:
    elsewhere = open_ticket(actors, world, templates.categories.garbage, when=at(25, 8), region=world.grid4)
    Finding.objects.filter(pk=week.fixed.pk).update(ticket=elsewhere)
    html = text(page(login("street"), FINDINGS))
    assert elsewhere.number in html
    assert reverse("tickets:detail", args=[elsewhere.pk]) not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"outcome": "fixed"}, {"fixed"}),
        ({"outcome": "reported"}, {"reported", "old"}),
        ({"has_ticket": "true"}, {"reported", "old"}),
        ({"has_ticket": "false"}, {"fixed"}),
        ({"q": "纸屑"}, {"fixed"}),
        ({"since": "2026-11-25", "until": "2026-11-25"}, {"reported", "fixed"}),
        ({"since": "2026-11-26"}, set()),
        ({"until": "2026-11-24"}, {"old"}),
    ],
)
def test_findings_filters(
    login: Any,
    actors: dict[str, User],
    world: World,
    templates: Templates,
    week: Week,
    params: dict[str, str],
    expected: set[str],
) -> None:
    old = find(actors["grid2"], world.p2, templates, when=at(20, 10), description="旧的")
    names = {week.reported.pk: "reported", week.fixed.pk: "fixed", old.pk: "old"}
    response = page(login("office"), FINDINGS, **params)
    assert {names[f.pk] for f in response.context["page"]} == expected


def test_findings_filter_by_place_category_and_worker(
    login: Any, actors: dict[str, User], world: World, templates: Templates, week: Week
) -> None:
    other = find(actors["grid2"], world.p2, templates, when=at(26, 10))
    client = login("office")

    def shown(**params: Any) -> set[int]:
        return {f.pk for f in page(client, FINDINGS, **params).context["page"]}

    ours = {week.reported.pk, week.fixed.pk}
    assert shown(grid=world.grid.pk) == ours
    assert shown(region=world.community.pk) == ours | {other.pk}
    assert shown(region=world.street_b.pk) == set()
    assert shown(worker=actors["grid2"].pk) == {other.pk}
    assert shown(category=templates.categories.city_appearance.pk) == ours | {other.pk}  # 大类 takes its 小类
    assert shown(category=templates.categories.food.pk) == set()


def test_findings_filters_answer_htmx_with_the_results_only(login: Any, week: Week) -> None:
    response = login("office").get(FINDINGS, {"outcome": "fixed"}, HTTP_HX_REQUEST="true")
    html = text(response)
    assert "<h1>" not in html
    assert "地面纸屑已清扫" in html


def test_findings_list_query_count_does_not_grow(
    login: Any, actors: dict[str, User], world: World, templates: Templates
) -> None:
    client = login("office")

    def count() -> int:
        forget_all_numbers()  # every number computed, none remembered
        with CaptureQueriesContext(connection) as queries:
            assert client.get(FINDINGS).status_code == 200
        return len(queries)

    find(actors["grid"], world.p1, templates, when=at(25, 9))
    count()  # warm up
    few = count()
    for n in range(4):
        find(actors["grid"], world.p1, templates, when=at(25, 10 + n))
    assert Finding.objects.count() == 5
    assert count() == few


def test_finding_detail_shows_photos_position_patrol_and_item(
    login: Any, world: World, templates: Templates, week: Week
) -> None:
    world.p1.refresh_from_db()
    Finding.objects.filter(pk=week.fixed.pk).update(
        lat="30.274100", lng="120.155100", check_item=templates.garbage_item
    )
    html = text(login("street").get(reverse("patrols:finding", args=[week.fixed.uuid])))
    assert "https://uri.amap.com/marker?position=120.155100,30.274100" in html
    assert "定位精度约 8 米" in html
    assert reverse("patrols:detail", args=[week.patrol.uuid]) in html
    assert "垃圾桶加盖、无满溢" in html
    assert "整改后" in html
    for p in week.fixed.photos.all():
        assert reverse("patrols:finding-photo", args=[p.pk]) in html


def test_unknown_finding_is_404(login: Any, week: Week) -> None:
    assert login("office").get(reverse("patrols:finding", args=[uuid.uuid4()])).status_code == 404


# --- patrol detail and list ---


def test_patrol_detail_shows_points_results_findings_and_phone_time(login: Any, week: Week) -> None:
    Patrol.objects.filter(pk=week.patrol.pk).update(client_started_at=at(25, 8, 40))
    html = text(login("office").get(reverse("patrols:detail", args=[week.patrol.uuid])))
    assert "东湖农贸市场" in html
    assert "垃圾桶加盖、无满溢" in html
    assert "有问题" in html
    assert "合格" in html
    assert "手机时间 2026-11-25 08:40:00" in html
    assert "2026-11-25 09:00:00" in html
    assert reverse("patrols:finding", args=[week.reported.uuid]) in html
    assert "地面纸屑已清扫" in html


def test_patrol_detail_hides_the_phone_time_when_it_agrees(login: Any, week: Week) -> None:
    Patrol.objects.filter(pk=week.patrol.pk).update(client_started_at=at(25, 9) + timedelta(seconds=20))
    html = text(login("office").get(reverse("patrols:detail", args=[week.patrol.uuid])))
    assert "手机时间 2026" not in html


def test_patrol_list_is_newest_first_with_counts(login: Any, week: Week) -> None:
    rows = list(login("office").get(PATROLS).context["page"])
    assert [p.pk for p in rows] == [week.patrol.pk, week.last_week.pk]
    assert (rows[0].visit_count, rows[0].finding_count) == (1, 2)


def test_the_ticket_of_a_reported_finding_exists(week: Week) -> None:
    # Guards the arrangement the link tests rely on: 上报 opened a ticket, 现场整改 did not.
    assert Ticket.objects.filter(pk=week.reported.ticket_id).exists()
    assert week.fixed.ticket_id is None


def test_patrol_list_shows_a_page_in_flat_queries_however_many_patrols(
    login: Any, actors: dict[str, User], world: World, week: Week
) -> None:
    client = login("office")

    def rendered() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            html = text(client.get(PATROLS))
        return html.count('data-label="巡查点位"'), len(queries)

    rendered()  # warm up the session and the user's roles
    rows, few = rendered()
    assert rows == 2
    Patrol.objects.bulk_create(
        Patrol(
            uuid=uuid.uuid4(),
            worker=actors["grid"],
            grid=world.grid,
            started_at=at(20, 9) - timedelta(hours=n),
        )
        for n in range(PER_PAGE + 10)
    )
    rows, queries = rendered()
    assert rows == PER_PAGE
    assert queries == few
    first = client.get(PATROLS).context["page"][0]
    assert (first.pk, first.visit_count, first.finding_count) == (week.patrol.pk, 1, 2)
