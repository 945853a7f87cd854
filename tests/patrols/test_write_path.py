"""The phone's busiest write, POST /api/v1/findings/ (a report that opens and dispatches a ticket), in a
fixed, small number of SQL statements: the bench's target is at most 15, token authentication included."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.accounts.services import api_token_issue
from apps.notifications.models import Notification
from apps.tickets.models import EventAction, Ticket, TicketStatus
from tests.conftest import World
from tests.patrols.factories import Templates, new_uuid

# A real transaction per request (not the test's savepoint), as in production.
pytestmark = pytest.mark.django_db(transaction=True)

MAX_STATEMENTS = 15


def phone(worker: User) -> APIClient:
    """A client that signs every request with the worker's token, as the PWA does."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=worker).key}")
    return client


def statements(queries: CaptureQueriesContext) -> list[str]:
    """The statements run, as PostgreSQL's backend logs them: SQLite's also logs its BEGIN and COMMIT."""
    return [q["sql"] for q in queries.captured_queries if q["sql"].split()[0] not in ("BEGIN", "COMMIT")]


def report(client: APIClient, world: World, category: Any) -> Any:
    """A metadata-only 上报 at 东湖农贸市场, as bench/findings.py sends it."""
    body = {"uuid": new_uuid(), "point": world.p1.pk, "category": category.pk, "outcome": "reported"}
    return client.post("/api/v1/findings/", body, format="json")


def test_a_report_that_opens_and_dispatches_a_ticket_takes_at_most_15_statements(
    actors: dict[str, User], world: World, templates: Templates
) -> None:
    client = phone(actors["grid"])
    assert report(client, world, templates.categories.garbage).status_code == 201  # warms the routing cache
    with CaptureQueriesContext(connection) as queries:
        response = report(client, world, templates.categories.food_safety)
    assert response.status_code == 201, response.json()
    ticket = Ticket.objects.get(pk=response.json()["ticket"])
    # Everything the loop needs was written: dispatched with its three steps, and the unit told.
    assert ticket.status == TicketStatus.DISPATCHED
    assert list(ticket.events.order_by("pk").values_list("action", flat=True)) == [
        EventAction.CREATE,
        EventAction.FILE,
        EventAction.DISPATCH,
    ]
    assert Notification.objects.filter(recipient__unit=ticket.responsible_unit).exists()
    assert len(statements(queries)) <= MAX_STATEMENTS, "\n".join(statements(queries))


def test_a_replay_is_answered_from_the_stored_finding_in_a_few_statements(
    actors: dict[str, User], world: World, templates: Templates
) -> None:
    client = phone(actors["grid"])
    body = {"uuid": new_uuid(), "point": world.p1.pk, "category": templates.categories.garbage.pk}
    first = client.post("/api/v1/findings/", {**body, "outcome": "reported"}, format="json")
    with CaptureQueriesContext(connection) as queries:
        again = client.post("/api/v1/findings/", {**body, "outcome": "reported"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["ticket"] == first.json()["ticket"]
    assert Ticket.objects.count() == 1
    assert len(statements(queries)) <= 6, "\n".join(statements(queries))
