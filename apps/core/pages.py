"""Shared helpers for server-rendered list pages: filtering, pagination and htmx partial swaps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django_filters import FilterSet

from apps.core.htmx import HtmxRequest, wants_fragment
from apps.core.paging import QuickPaginator, request_key

# 30 rows keep a list within a few screens on a phone, where rows become cards.
PER_PAGE = 30


def edit_page(request: HttpRequest, *, obj: Any, form: Any, heading: str, detail: str) -> TemplateResponse:
    """Render the shared edit form page with a link back to the object's `detail` page."""
    context = {"object": obj, "form": form, "heading": heading, "back_url": reverse(detail, args=[obj.pk])}
    return TemplateResponse(request, "regions/edit.html", context)


def list_page(
    request: HtmxRequest,
    *,
    template: str,
    filterset: FilterSet,
    context: dict[str, Any] | None = None,
    per_page: int = PER_PAGE,
    decorate: Callable[[list[Any]], Sequence[Any]] | None = None,
) -> TemplateResponse:
    """Render a filtered, paginated list; an htmx swap gets only the `results` partial.

    `decorate` receives the rows of the shown page and returns what the page shows in their place (typed
    row objects carrying numbers computed in bulk for just those rows).
    """
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    page = QuickPaginator(rows, per_page, total_key=request_key(request)).get_page(request.GET.get("page"))
    if decorate is not None:
        page.object_list = decorate(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    name = f"{template}#results" if wants_fragment(request) else template
    return TemplateResponse(
        request, name, {"filter": filterset, "page": page, "query": query.urlencode(), **(context or {})}
    )
