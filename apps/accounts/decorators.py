"""Pages the API links to (photos, evidence files) open with the session or with the API token alike."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.settings import api_settings

from apps.core.api.exceptions import error_body

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def login_or_token_required(view: View) -> View:
    """Like `login_required`, but a request with an `Authorization` header is signed in as the API would.

    A browser without a session is sent to the login page as before; a client that sent credentials gets 401
    (never a login page it cannot use), so the phone and machine clients can open the URLs the API returns.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            if not request.META.get("HTTP_AUTHORIZATION"):
                return redirect_to_login(request.get_full_path())
            refused = _sign_in_by_header(request)
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return cast(View, wrapper)


def _sign_in_by_header(request: HttpRequest) -> HttpResponse | None:
    """Run the API's own authenticators; on success the request carries the user, else a 401 to send."""
    classes = cast("list[type[BaseAuthentication]]", api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    authenticators = [auth() for auth in classes]
    api_request = Request(request, authenticators=authenticators)
    try:
        # DRF's Request sets the user on the wrapped Django request too.
        signed_in = api_request.user.is_authenticated
    except exceptions.AuthenticationFailed as exc:
        return _unauthorized(api_request, authenticators[0], exc)
    if not signed_in:
        return _unauthorized(api_request, authenticators[0], exceptions.NotAuthenticated())
    return None


def _unauthorized(
    api_request: Request, first: BaseAuthentication, exc: exceptions.APIException
) -> HttpResponse:
    """The API's 401, in its one error shape, with the challenge of its first authenticator (`Token`)."""
    response = JsonResponse(error_body(exc, {}), status=401, json_dumps_params={"ensure_ascii": False})
    challenge = first.authenticate_header(api_request)
    if challenge:
        response["WWW-Authenticate"] = challenge
    return response
