"""Home page: one section per role the user holds, each with that role's real numbers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.response import TemplateResponse

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.dashboards import selectors


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's home: office/leader overview, territory, unit or grid-worker view."""
    user = request.user
    context: dict[str, object] = {"roles": user.roles}
    if user.sees_everything:
        context["city"] = selectors.city_overview(user)
    if user.has_role(Role.STREET, Role.COMMUNITY):
        context["territory"] = selectors.territory_overview(user)
    if user.has_role(Role.UNIT):
        context["unit_home"] = selectors.unit_overview(user)
    if user.has_role(Role.GRID_WORKER):
        context["grid_home"] = selectors.grid_worker_overview(user)
    return TemplateResponse(request, "dashboards/home.html", context)
