"""Typing for views behind login_required: their request always carries a real User (and htmx details)."""

from apps.accounts.models import User
from apps.core.htmx import HtmxRequest


class AuthenticatedRequest(HtmxRequest):
    """An HttpRequest whose user is signed in (for type checking only)."""

    user: User
