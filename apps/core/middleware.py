"""Project middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers


class HtmxVaryMiddleware:
    """Mark every response as varying on HX-Request: a URL may answer htmx with a fragment, a browser a page.

    Without it a browser (or any cache) may hand back a fragment it stored for an htmx swap when the same URL
    is opened, reloaded or restored as a page. Placed after django-htmx's HtmxMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response
