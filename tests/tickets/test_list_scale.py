"""Ticket lists stay fast at city scale: no unbounded COUNT(*) behind a pager, and the API says when its
count is exact."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.tickets.test_list_order import tickets  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("media_in_tmp", "tickets")


def ticket_counts(queries: CaptureQueriesContext) -> list[str]:
    """The statements that count ticket rows (a pager's total; grouped figures use COUNT(id))."""
    return [
        q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"] and "tickets_ticket" in q["sql"]
    ]


@pytest.mark.parametrize(
    "path", [reverse("tickets:list"), reverse("tickets:list") + "?status=in_progress&overdue=true",
             reverse("tickets:overdue")],
)  # fmt: skip
def test_the_pager_counts_at_most_the_cap(login: Any, path: str) -> None:
    client = login("office")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    counts = ticket_counts(queries)
    assert counts, "the page shows a total"
    assert all("LIMIT 10001" in sql for sql in counts), counts


def test_the_list_shows_the_exact_total_when_small(login: Any) -> None:
    page = login("office").get(reverse("tickets:list") + "?open=")
    assert "共 4 条" in page.content.decode()


def test_the_api_says_whether_its_count_is_exact(login: Any) -> None:
    body = login("office").get("/api/v1/tickets/").json()
    assert body["count"] == 4
    assert body["count_exact"] is True
