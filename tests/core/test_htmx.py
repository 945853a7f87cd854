"""htmx answers: a swap gets the fragment; a page load, a boosted link or a history restore gets the whole
page; every response varies on HX-Request."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.cache import has_vary_header
from django_htmx.middleware import HtmxMiddleware

from apps.core.htmx import HtmxRequest, wants_fragment
from apps.core.middleware import HtmxVaryMiddleware
from tests.conftest import World

SWAP = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


def through_htmx_middleware(headers: dict[str, str]) -> HtmxRequest:
    """A GET as the views see it, past django-htmx's middleware."""
    request = RequestFactory().get("/tickets/", headers=headers)
    HtmxMiddleware(lambda _: HttpResponse())(request)
    return cast(HtmxRequest, request)


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [({}, False), (SWAP, True), (RESTORE, False), (BOOSTED, False), ({"HX-Request": "false"}, False)],
    ids=["page", "swap", "history-restore", "boosted", "not-htmx"],
)
def test_only_an_htmx_swap_wants_a_fragment(headers: dict[str, str], fragment: bool) -> None:
    assert wants_fragment(through_htmx_middleware(headers)) is fragment


def page_text(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_an_htmx_swap_of_the_ticket_list_gets_only_the_results(login: Any, world: World) -> None:
    page = page_text(login("office").get(reverse("tickets:list"), {"status": "filed"}, headers=SWAP))
    assert "<table" in page
    assert "<html" not in page
    assert 'class="filters"' not in page


@pytest.mark.parametrize("headers", [RESTORE, BOOSTED, {}], ids=["history-restore", "boosted", "page"])
def test_a_history_restore_boosted_link_or_page_load_gets_the_whole_page(
    login: Any, world: World, headers: dict[str, str]
) -> None:
    page = page_text(login("office").get(reverse("tickets:list"), {"status": "filed"}, headers=headers))
    assert "<html" in page
    assert 'aria-label="主导航"' in page  # the base layout's nav
    assert 'class="filters"' in page
    assert page.count('id="results"') == 1


@pytest.mark.parametrize("name", ["regions:list", "units:list", "points:list", "patrols:findings"])
def test_other_list_pages_restore_the_whole_page_too(login: Any, world: World, name: str) -> None:
    client = login("office")
    assert "<html" not in page_text(client.get(reverse(name), headers=SWAP))
    restored = page_text(client.get(reverse(name), headers=RESTORE))
    assert "<html" in restored
    assert restored.count('id="results"') == 1


KINDS = {"page": {}, "swap": SWAP, "history-restore": RESTORE, "boosted": BOOSTED}


@pytest.mark.parametrize("headers", list(KINDS.values()), ids=list(KINDS))
@pytest.mark.parametrize("who", ["anon", "office"])
def test_every_response_varies_on_hx_request(login: Any, world: World, who: str, headers: dict) -> None:
    client = login(who)
    # A list page (or, anonymous, its redirect to login), the login page and a 404.
    for url in (reverse("tickets:list"), reverse("accounts:login"), "/no-such-page/"):
        response = client.get(url, headers=headers)
        assert has_vary_header(response, "HX-Request"), (url, response.status_code)


def test_the_vary_middleware_keeps_what_a_view_already_varies_on(rf: RequestFactory) -> None:
    def view(_: HttpRequest) -> HttpResponse:
        response = HttpResponse()
        response["Vary"] = "Accept-Language"
        return response

    response = HtmxVaryMiddleware(view)(rf.get("/"))
    assert response["Vary"] == "Accept-Language, HX-Request"
