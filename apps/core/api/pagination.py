"""API pagination: {"count", "count_exact", "next", "previous", "results"}, page size up to 200.

Pages are read without counting the table (apps.core.paging): `count` is exact up to 10,000 rows and
PostgreSQL's estimate above that, which `count_exact: false` says; `next` is there when another page follows.

`page` and `page_size` are whole numbers as the schema says: anything else is a 400 naming the parameter
(DRF would quietly fall back to the default size, or answer 404 for `page=0`). A page past the last is 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from rest_framework import exceptions, pagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.paging import QuickPage, QuickPaginator, request_key


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination; ?page_size= lets the PWA fetch a grid's points in one go."""

    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # `page=last` is not in the schema
    invalid_page_message = "没有这一页（页码超出范围）。"

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return int(self.page_size or 50)
        return _whole(raw, "page_size", 1, self.max_page_size)

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: APIView | None = None) -> Any:
        """One page of rows; DRF's own would ask for `num_pages` (a count) only to draw browsable controls."""
        raw = request.query_params.get(self.page_query_param)
        number = _whole(raw, "page", 1, None) if raw is not None else 1
        self.request = request
        paginator = QuickPaginator(queryset, self.get_page_size(request), total_key=request_key(request))
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise exceptions.NotFound(self.invalid_page_message) from exc
        return list(self.page)

    def get_paginated_response(self, data: Any) -> Response:
        paginator = cast(QuickPaginator, cast(QuickPage, self.page).paginator)
        total = paginator.total
        return Response(
            {
                "count": total.value,
                "count_exact": total.exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["required"] = ["count", "count_exact", "results"]
        described["properties"]["count"]["description"] = "总数：不超过 10000 时为精确值，否则为估计值。"
        described["properties"]["count_exact"] = {"type": "boolean", "description": "count 是否为精确值。"}
        return described

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


def _whole(raw: str, name: str, low: int, high: int | None) -> int:
    """A whole number from low to high (inclusive), else a 400 on that parameter."""
    bound = f"{low} 到 {high} 之间的整数" if high is not None else f"不小于 {low} 的整数"
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < low or (high is not None and int(text) > high):
        raise exceptions.ValidationError({name: [f"须为{bound}。"]})
    return int(text)
