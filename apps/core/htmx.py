"""htmx requests: their typing, and which of them a page answers with a fragment."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """An HttpRequest past django-htmx's HtmxMiddleware (for type checking only)."""

    htmx: HtmxDetails


def wants_fragment(request: HtmxRequest) -> bool:
    """Whether to answer with a partial: an htmx swap, not a boosted link or a history restore.

    On a history-cache miss htmx 2 refetches the URL as an htmx request and puts the answer in the whole body,
    so a restore must get the full page, like a boosted link does.
    """
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
