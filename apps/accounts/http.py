"""Typing for views behind login_required: their request always carries a real User."""

from django.http import HttpRequest

from apps.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """An HttpRequest whose user is signed in (for type checking only)."""

    user: User
