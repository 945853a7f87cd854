"""Paging without COUNT(*): the extra row tells whether a page follows, totals are bounded."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.paging import QuickPaginator, Total, bounded_total
from apps.regions.models import Region

pytestmark = pytest.mark.django_db


def test_total_reads_exact_small_and_about_large() -> None:
    assert str(Total(42, exact=True)) == "42"
    assert str(Total(73_400, exact=False)) == "约 7.3 万"
    assert str(Total(10_000, exact=False)) == "10000+"


def test_pages_know_their_neighbours_from_one_extra_row(world: Any) -> None:
    regions = Region.objects.order_by("path")
    every = list(regions)
    paginator = QuickPaginator(regions, 4)
    first = paginator.page(1)
    assert list(first) == every[:4]
    assert first.has_next()
    assert not first.has_previous()
    last = paginator.page(3)
    assert list(last) == every[8:]
    assert not last.has_next()
    assert last.has_previous()
    assert paginator.total == Total(len(every), exact=True)
    assert paginator.num_pages == 3


def test_a_page_past_the_end_falls_back_to_the_last_and_junk_to_the_first(world: Any) -> None:
    paginator = QuickPaginator(Region.objects.order_by("path"), 4)
    assert paginator.get_page(99).number == 3
    assert paginator.get_page("abc").number == 1


def test_reading_a_page_counts_nothing(world: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        list(QuickPaginator(Region.objects.order_by("path"), 4).page(2))
    assert len(queries) == 1
    assert "COUNT" not in queries[0]["sql"].upper()


def test_a_total_over_the_cap_is_not_counted_to_the_end(world: Any) -> None:
    rows = Region.objects.all()
    total = bounded_total(rows, cap=3)
    assert not total.exact
    assert total.value >= 3
    assert bounded_total(rows, cap=100) == Total(rows.count(), exact=True)


def test_a_filter_that_matches_nothing_totals_zero() -> None:
    assert bounded_total(Region.objects.filter(pk__in=[])) == Total(0, exact=True)
