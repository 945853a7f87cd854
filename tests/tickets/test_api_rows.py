"""The ticket list API writes its rows from .values(): exactly what TicketSerializer writes for them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from apps.tickets.api.serializers import TicketSerializer
from apps.tickets.models import Ticket
from tests.tickets.test_list_order import tickets  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("media_in_tmp", "tickets")


def as_json(data: Any) -> Any:
    return json.loads(JSONRenderer().render(data))


def test_list_rows_are_the_serializers_rows(login: Any) -> None:
    rows = login("office").get("/api/v1/tickets/").json()["results"]
    expected = TicketSerializer(
        Ticket.objects.select_related("category__parent", "region", "point", "responsible_unit"),
        many=True,
        context={"now": timezone.now()},
    ).data
    assert rows == as_json(expected)
    # The fixture covers a ticket without a unit or deadline and dispatched ones with both.
    assert {row["responsible_unit"] is None for row in rows} == {True, False}
    assert any(row["is_overdue"] for row in rows)


def test_list_rows_take_a_fixed_number_of_queries(login: Any, django_assert_max_num_queries: Any) -> None:
    client = login("office")
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/tickets/?page_size=200").status_code == 200
