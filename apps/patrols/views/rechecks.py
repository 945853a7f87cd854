"""/m/rechecks/: 核查 on the phone — the tickets in the worker's grids waiting for it, and pass/fail on one.

Online-only server pages; the decision goes through the tickets' own `ticket_recheck` service, whose refusals
(wrong person, wrong state, missing reason) are shown on the form in Chinese.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.core.exceptions import DomainError, error_text
from apps.core.forms import add_service_error
from apps.patrols.permissions import my_grid_ids
from apps.patrols.selectors import rechecks_waiting
from apps.patrols.views.mobile import require_grid_worker
from apps.tickets.forms import RecheckForm
from apps.tickets.models import EventAction, PhotoKind, Ticket, TicketEvent, TicketPhoto, TicketStatus
from apps.tickets.permissions import ticket_grid_id
from apps.tickets.services import ticket_recheck

TICKET_FACTS = ("category", "point", "region", "responsible_unit")


@login_required
@require_GET
def recheck_list(request: AuthenticatedRequest) -> TemplateResponse:
    """待核查: tickets of the worker's grids the unit has reported fixed, oldest submission first."""
    require_grid_worker(request.user)
    tickets = rechecks_waiting(request.user).select_related(*TICKET_FACTS).order_by("submitted_at", "pk")
    return TemplateResponse(request, "mobile/rechecks.html", {"tickets": tickets})


def _my_grid_ticket(request: AuthenticatedRequest, pk: int) -> Ticket:
    """A ticket the worker can see that lies in one of their grids; anything else is 404."""
    tickets = Ticket.objects.visible_to(request.user).select_related(*TICKET_FACTS)
    ticket = get_object_or_404(tickets, pk=pk)
    if ticket_grid_id(ticket) not in my_grid_ids(request.user):
        raise Http404("工单不存在或不在您负责的网格内。")
    return ticket


def _latest_after_photos(photos: list[TicketPhoto], submitted: TicketEvent | None) -> list[TicketPhoto]:
    """The unit's 整改后 photos of its latest submission (all of them if none is tied to that event)."""
    after = [photo for photo in photos if photo.kind == PhotoKind.AFTER]
    latest = [photo for photo in after if submitted is not None and photo.event_id == submitted.pk]
    return latest or after


@login_required
@require_http_methods(["GET", "POST"])
def recheck_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One ticket's facts and the unit's after-photos, with the 核查 form while it is 待核查."""
    require_grid_worker(request.user)
    ticket = _my_grid_ticket(request, pk)
    form = RecheckForm(request.POST or None, request.FILES or None)
    form.fields["passed"].error_messages["required"] = "请选择核查结果：通过或不通过。"
    # On the phone the photo field opens the camera straight away.
    form.fields["photos"].widget.attrs.update({"accept": "image/*", "capture": "environment"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket_recheck(
                ticket=ticket,
                actor=request.user,
                passed=data["passed"],
                comment=data["comment"],
                photos=data["photos"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        except (DomainError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            done = "核查通过，工单已销号。" if data["passed"] else "核查不通过，已交回责任单位返工。"
            messages.success(request, f"{ticket.number}：{done}")
            return redirect("mobile:rechecks")
    photos = list(ticket.photos.order_by("uploaded_at", "pk"))
    submitted = ticket.events.filter(action=EventAction.SUBMIT).order_by("-at", "-pk").first()
    context = {
        "ticket": ticket,
        "form": form,
        "waiting": ticket.status == TicketStatus.SUBMITTED,
        "before_photos": [photo for photo in photos if photo.kind == PhotoKind.BEFORE],
        "after_photos": _latest_after_photos(photos, submitted),
        "submitted": submitted,
    }
    return TemplateResponse(request, "mobile/recheck.html", context)
