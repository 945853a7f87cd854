"""Sign-in: each user lands where their day's work starts."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse

from apps.accounts.forms import LoginForm
from apps.accounts.models import Role, User


def landing_url(user: User) -> str:
    """A user whose only role is 网格员 works on the phone app; everyone else starts at the home page."""
    if user.role_codes == {Role.GRID_WORKER}:
        return reverse("mobile:home")
    return reverse("home")


class LoginView(auth_views.LoginView):
    """The standard login; without `next` the user goes to their landing page."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Where to go when `next` says nothing."""
        return landing_url(self.request.user)  # type: ignore[arg-type]
