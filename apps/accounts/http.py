"""Typing for views behind login_required: their request always carries a real User (and htmx details)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from apps.accounts.models import User
from apps.core.htmx import HtmxRequest


class AuthenticatedRequest(HtmxRequest):
    """An HttpRequest whose user is signed in (for type checking only)."""

    user: User


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request that only signed-in users reach (the admin's views, login_required views)."""
    if not isinstance(request.user, User):  # not reachable behind the login check; refuse rather than guess
        raise PermissionDenied
    return request.user
