"""Home page: one section per role the user holds, each answering "what do I do today"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.roles import Role
from apps.checklists.permissions import can_manage_campaign
from apps.dashboards import selectors


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's home: office, leader, territory, unit or grid-worker numbers, each a link."""
    user = request.user
    now = timezone.now()
    context: dict[str, object] = {"roles": user.roles, "may_review": can_manage_campaign(user)}
    if user.manages_everything:
        context["office"] = selectors.office_home(user, now)
    elif user.sees_everything:
        context["leader"] = selectors.leader_home(user, now)
    if user.has_role(Role.STREET, Role.COMMUNITY):
        context["territory"] = selectors.territory_home(user, now)
    if user.has_role(Role.UNIT):
        context["unit_home"] = selectors.unit_home(user, now)
    if user.has_role(Role.GRID_WORKER):
        context["grid_home"] = selectors.grid_worker_home(user, now)
    return TemplateResponse(request, "dashboards/home.html", context)
