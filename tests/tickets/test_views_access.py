"""Ticket pages: the access matrix on every page and action, and the office's routing rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from apps.tickets.models import (
    PhotoKind,
    ProblemCategory,
    RoutingRule,
    Ticket,
    TicketPhoto,
    TicketStatus,
)
from apps.tickets.services import ticket_accept, ticket_recheck, ticket_submit
from tests.conftest import World
from tests.tickets.conftest import dispatched, filed, jpeg, page_text, reload

pytestmark = pytest.mark.usefixtures("media_in_tmp")
S = TicketStatus
ALL = ["office", "leader", "inspector", "unit", "unit_other", "street", "community", "grid", "grid2"]


# --- access matrix ----------------------------------------------------------------------------------


def _urls(ticket: Ticket) -> dict[str, str]:
    return {
        "list": reverse("tickets:list"),
        "create": reverse("tickets:create"),
        "detail": reverse("tickets:detail", args=[ticket.pk]),
        "inbox": reverse("tickets:inbox"),
        "overdue": reverse("tickets:overdue"),
        "shelf": reverse("tickets:shelf"),
        "export": reverse("tickets:export"),
    }


@pytest.mark.parametrize("name", ["list", "create", "detail", "inbox", "overdue", "shelf", "export"])
def test_anonymous_is_sent_to_login(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, name: str
) -> None:
    response = login("anon").get(_urls(filed(actors, world, garbage))[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_cannot_act(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = filed(actors, world, garbage)
    url = reverse("tickets:act", args=[ticket.pk, "dispatch"])
    response = login("anon").post(url, {"unit": world.unit_city.pk})
    assert response.status_code == 302
    assert reload(ticket).status == S.FILED


@pytest.mark.parametrize("who", ALL)
@pytest.mark.parametrize("name", ["list", "shelf", "export"])
def test_everyone_signed_in_reads_the_list_shelf_and_export(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, who: str, name: str
) -> None:
    assert login(who).get(_urls(filed(actors, world, garbage))[name]).status_code == 200


@pytest.mark.parametrize("who", ["office", "leader", "inspector", "unit", "street", "community", "grid"])
def test_those_who_see_the_ticket_open_it(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, who: str
) -> None:
    ticket = dispatched(actors, world, garbage)
    assert login(who).get(reverse("tickets:detail", args=[ticket.pk])).status_code == 200


@pytest.mark.parametrize("who", ["grid2", "unit_other", "street_other"])
def test_outsiders_get_404_on_the_ticket_its_actions_and_its_photos(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, who: str
) -> None:
    ticket = dispatched(actors, world, garbage)
    photo = TicketPhoto.objects.create(ticket=ticket, kind=PhotoKind.BEFORE, image="x.jpg", width=1, height=1)
    client = login(who)
    assert client.get(reverse("tickets:detail", args=[ticket.pk])).status_code == 404
    assert client.post(reverse("tickets:act", args=[ticket.pk, "accept"])).status_code == 404
    assert client.get(reverse("tickets:photo", args=[photo.pk])).status_code == 404
    assert reload(ticket).status == S.DISPATCHED


@pytest.mark.parametrize("who", ["office", "leader", "inspector", "street", "community", "grid"])
def test_those_who_may_report_get_the_form(login: Any, world: World, who: str) -> None:
    assert login(who).get(reverse("tickets:create")).status_code == 200


def test_unit_staff_may_not_report(login: Any, world: World) -> None:
    assert login("unit").get(reverse("tickets:create")).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"), [("unit", 200), ("unit_other", 200), ("office", 403), ("grid", 403)]
)
def test_the_inbox_is_for_unit_staff(login: Any, world: World, who: str, status: int) -> None:
    assert login(who).get(reverse("tickets:inbox")).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("office", 200), ("leader", 200), ("inspector", 200), ("unit", 403), ("street", 403), ("grid", 403)],
)
def test_the_overdue_board_is_for_the_city_view(login: Any, world: World, who: str, status: int) -> None:
    assert login(who).get(reverse("tickets:overdue")).status_code == status


def test_a_leader_posting_dispatch_gets_403_and_nothing_changes(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = filed(actors, world, garbage)
    client = login("leader")
    url = reverse("tickets:act", args=[ticket.pk, "dispatch"])
    assert client.post(url, {"unit": world.unit_city.pk}).status_code == 403
    assert client.post(url, {}).status_code == 403  # an incomplete post is refused the same way
    after = reload(ticket)
    assert (after.status, after.responsible_unit) == (S.FILED, None)
    assert after.events.count() == 1


def test_the_detail_page_offers_exactly_the_allowed_actions(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = filed(actors, world, garbage)
    url = reverse("tickets:detail", args=[ticket.pk])
    office = page_text(login("office").get(url))
    leader = page_text(login("leader").get(url))
    assert 'id="act-dispatch"' in office
    assert 'id="act-void"' in office
    assert 'id="act-supervise"' in office
    assert "派遣建议：<strong>市城管局</strong>" in office
    assert 'id="act-dispatch"' not in leader
    assert 'id="act-supervise"' in leader
    assert 'id="act-' not in page_text(login("grid").get(url))


# --- routing rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "inspector", "unit", "street", "grid"])
def test_only_the_office_manages_routing_rules(
    login: Any, world: World, garbage: ProblemCategory, who: str
) -> None:
    client = login(who)
    assert client.get(reverse("tickets:rules")).status_code == 403
    data = {"category": garbage.pk, "region": world.street.pk, "unit": world.unit_market.pk}
    assert client.post(reverse("tickets:rules"), data).status_code == 403
    assert not RoutingRule.objects.exists()


def test_a_rule_changes_the_suggestion_and_can_be_removed(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    client = login("office")
    data = {"category": garbage.parent_id, "region": world.street.pk, "unit": world.unit_market.pk}
    assert client.post(reverse("tickets:rules"), data).status_code == 302
    assert client.post(reverse("tickets:rules"), data).status_code == 200  # the same pair twice is refused
    rule = RoutingRule.objects.get()
    ticket = filed(actors, world, garbage)
    page = page_text(client.get(reverse("tickets:detail", args=[ticket.pk])))
    assert "派遣建议：<strong>市市场监督管理局</strong>" in page
    assert "市市场监督管理局" in page_text(client.get(reverse("tickets:rules")))
    client.post(reverse("tickets:rule_delete", args=[rule.pk]))
    assert not RoutingRule.objects.exists()


def test_a_recurrence_links_back_to_the_ticket_it_repeats(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    first = dispatched(actors, world, garbage)
    ticket_accept(ticket=first, actor=actors["unit"])
    ticket_submit(ticket=first, actor=actors["unit"], comment="已清运", photos=[jpeg()])
    ticket_recheck(ticket=first, actor=actors["grid"], passed=True)
    again = filed(actors, world, garbage, title="又有垃圾")
    assert again.recurrence_of == first
    client = login("office")
    page = page_text(client.get(reverse("tickets:detail", args=[again.pk])))
    assert f'反弹自 <a href="{reverse("tickets:detail", args=[first.pk])}">{first.number}' in page
    assert '<span class="tag sup-1">黄牌</span>' in page
    assert again.number in page_text(client.get(reverse("tickets:detail", args=[first.pk])))
