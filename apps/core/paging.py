"""Paging for lists that grow with the city (tickets, findings): no exact COUNT(*) over a whole table.

A page reads one row more than it shows, to know whether there is a next page. The total is exact up to
COUNT_CAP rows — counted over at most COUNT_CAP + 1 rows, so the cost is bounded however big the table —
and above that PostgreSQL's planner estimate, shown as "约 …". SQLite has no estimate: "10000+". A list's
total is remembered for up to a minute, per page, viewer and filters (`request_key`), until a row of its model
changes, for models whose writes forget it (apps/core/numbers.py): paging on costs no count.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

from apps.core.numbers import fingerprint, remembered_about

# Below this an exact count is cheap (an index range of a few thousand entries) and worth showing.
COUNT_CAP = 10_000
# A table the planner has never analysed is guessed from its first pages (hundreds of rows, whatever it
# holds): only an estimate above this is trusted enough to skip the capped count.
TRUSTED_ESTIMATE = 2 * COUNT_CAP


@dataclass(frozen=True)
class Total:
    """How many rows a list has: exactly, or about (an estimate, or at least `value` on SQLite)."""

    value: int
    exact: bool

    def __str__(self) -> str:
        if self.exact:
            return str(self.value)
        if self.value <= COUNT_CAP:
            return f"{COUNT_CAP}+"
        return f"约 {self.value / 10_000:.1f} 万"


def planner_estimate(rows: QuerySet) -> int | None:
    """PostgreSQL's estimate of the number of rows (None elsewhere): one EXPLAIN, nothing read."""
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return None
    try:
        plan = json.loads(rows.order_by().values("pk").explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])
    except (ValueError, LookupError, TypeError):
        # A filter that can match nothing (an id no column holds) compiles to no SQL: no plan, count it.
        return None


def bounded_total(rows: QuerySet, cap: int = COUNT_CAP) -> Total:
    """The number of rows: exact when at most `cap`, otherwise an estimate (see the module docstring)."""
    estimate = planner_estimate(rows)
    if estimate is not None and estimate > max(cap * 2, TRUSTED_ESTIMATE):
        # Far above the cap: the estimate is good enough, and counting even `cap` rows costs time.
        return Total(estimate, exact=False)
    counted = rows.order_by().values("pk")[: cap + 1].count()
    if counted <= cap:
        return Total(counted, exact=True)
    return Total(max(estimate or 0, cap), exact=False)


# Query parameters that order or cut a list without changing how many rows it has.
NOT_COUNTED = frozenset({"page", "page_size", "sort", "ordering"})


def request_key(request: Any) -> str:
    """What a list's total depends on in a request: the page, the viewer (their scope) and the filters."""
    params = sorted((name, value) for name, values in request.GET.lists() for value in values)
    return fingerprint(request.path, request.user.pk, [pair for pair in params if pair[0] not in NOT_COUNTED])


class QuickPage(Page):
    """A page that knows whether another follows from the extra row it read, not from a count."""

    def __init__(self, object_list: list[Any], number: int, paginator: QuickPaginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class QuickPaginator(Paginator):
    """Django's Paginator, but pages are read without counting and `count` is a bounded total, remembered
    under `total_key` (request_key) where the rows' model allows."""

    def __init__(self, object_list: Any, per_page: int, *, total_key: str | None = None) -> None:
        super().__init__(object_list, per_page)
        self.total_key = total_key

    @cached_property
    def total(self) -> Total:
        """The bounded total of the whole list (remembered, else one EXPLAIN and/or one capped count)."""
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return Total(len(rows), exact=True)
        if self.total_key is None:
            return bounded_total(rows)
        key = f"total:{self.total_key}"
        return remembered_about(rows.model, key, lambda: bounded_total(rows), now=timezone.now())

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self.total.value

    @cached_property
    def num_pages(self) -> int | None:  # type: ignore[override]
        """Known only when the total is exact."""
        if not self.total.exact:
            return None
        return max(1, math.ceil(self.total.value / self.per_page)) if self.total.value else 1

    def validate_number(self, number: Any) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number: Any) -> QuickPage:
        """A page of rows plus one, to tell whether another follows; past the last page is EmptyPage."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return QuickPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number: Any) -> QuickPage:
        """Like Paginator.get_page: a bad number gives page 1, one past the end the last (if known)."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages or 1)
