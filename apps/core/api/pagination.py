"""API pagination: {"count", "next", "previous", "results"} with a client-chosen page size up to 200.

`page` and `page_size` are whole numbers as the schema says: anything else is a 400 naming the parameter
(DRF would quietly fall back to the default size, or answer 404 for `page=0`). A page past the last is 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions, pagination
from rest_framework.request import Request
from rest_framework.views import APIView


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
        raw = request.query_params.get(self.page_query_param)
        if raw is not None:
            _whole(raw, "page", 1, None)
        return super().paginate_queryset(queryset, request, view)

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
