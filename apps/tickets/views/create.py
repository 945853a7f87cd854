"""Reporting a problem (上报): the office's reports start at 待派遣, everyone else's wait for 立案."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.core.forms import add_service_error
from apps.core.permissions import require
from apps.tickets import services
from apps.tickets.forms import TicketForm, default_source, point_choices
from apps.tickets.models import Ticket
from apps.tickets.views.common import may_report


@login_required
@require_http_methods(["GET", "POST"])
def ticket_create(request: AuthenticatedRequest) -> HttpResponse:
    """The report form for those who may report somewhere; the service checks the chosen region again."""
    require(may_report(request.user))
    form = TicketForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reported = services.ticket_report(
                actor=request.user,
                source=data.get("source") or default_source(request.user),
                category=data["category"],
                title=data["title"],
                description=data["description"],
                region=data["region"],
                point=data["point"],
                address=data["address"],
                lat=data["lat"],
                lng=data["lng"],
                photos=data["photos"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        except PermissionDenied as exc:
            form.add_error("region", str(exc))
        else:
            return _reported(request, reported)
    region = form["region"].value()
    choices = point_choices(request.user, region, selected=form["point"].value())
    return TemplateResponse(request, "tickets/form.html", {"form": form, "point_choices": choices})


@login_required
@require_GET
def point_options(request: AuthenticatedRequest) -> HttpResponse:
    """The report form's 点位 choices for the chosen region and search text (an htmx fragment)."""
    require(may_report(request.user))
    choices = point_choices(
        request.user, request.GET.get("region"), request.GET.get("point_q", ""), request.GET.get("point")
    )
    context = {**choices, "q": request.GET.get("point_q", "").strip()}
    return TemplateResponse(request, "tickets/_point_options.html", context)


def _reported(request: AuthenticatedRequest, reported: services.Reported) -> HttpResponse:
    """Say what the report became; a joined ticket the reporter cannot open is named but not linked."""
    ticket = reported.ticket
    if not reported.joined:
        waiting = "，等待派遣" if ticket.status == "filed" else "，等待创卫办立案"
        messages.success(request, f"已上报工单 {ticket.number}{waiting}。")
        return redirect("tickets:detail", pk=ticket.pk)
    messages.info(
        request,
        f"该处同类问题已有工单 {ticket.number}（{ticket.get_status_display()}）在办，"
        "本次上报及照片已并入该工单，不另立新单。",
    )
    if Ticket.objects.visible_to(request.user).filter(pk=ticket.pk).exists():
        return redirect("tickets:detail", pk=ticket.pk)
    return redirect("tickets:list")
