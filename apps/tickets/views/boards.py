"""Working lists: a unit's inbox (工单待办), overdue tickets by unit (超期督办) and the 挂账 shelf."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.roles import Role
from apps.calendars.models import DeadlineUnit
from apps.calendars.worktime import deadline_after
from apps.core.exceptions import DomainError, error_text
from apps.core.numbers import remembered_about
from apps.core.paging import QuickPaginator, request_key
from apps.core.permissions import require
from apps.regions.models import Unit
from apps.tickets.models import CLOCK_RUNNING, Supervision, Ticket, TicketStatus
from apps.tickets.querysets import clock_running_q
from apps.tickets.services import tickets_accept
from apps.tickets.views.common import duration_text

PER_PAGE = 20  # each row is a card of five lines on a phone: 20 keep the board near five screens
# Each inbox section shows the most urgent tickets; the counts and the list page cover the rest.
SECTION_LIMIT = 10
ROW_FIELDS = ("category", "region", "point", "responsible_unit")


@login_required
@require_GET
def ticket_inbox(request: AuthenticatedRequest) -> HttpResponse:
    """工单待办 for unit staff: 待签收, 整改中, 即将超期 (due within one working day); most urgent first."""
    user = request.user
    require(user.has_role(Role.UNIT) and user.unit_id is not None)
    now = timezone.now()
    # One working day on the working calendar: a ticket due Monday 10:00 is "soon" on Friday afternoon.
    soon_until = deadline_after(now, 1, DeadlineUnit.WORK_DAY)
    mine = Ticket.objects.visible_to(user).for_unit(user.unit_id)  # type: ignore[arg-type]
    running = clock_running_q()
    soon = running & Q(deadline__gte=now, deadline__lte=soon_until)
    # Every count is of tickets the unit holds or has handed in: never a scan of its whole history.
    held = mine.filter(status__in=[*CLOCK_RUNNING, TicketStatus.SUBMITTED])
    counts = remembered_about(
        Ticket,
        f"inbox:{user.pk}",
        lambda: held.aggregate(
            dispatched=Count("pk", filter=Q(status=TicketStatus.DISPATCHED)),
            in_progress=Count("pk", filter=Q(status=TicketStatus.IN_PROGRESS)),
            soon=Count("pk", filter=soon),
            overdue=Count("pk", filter=running & Q(deadline__lt=now)),
            submitted=Count("pk", filter=Q(status=TicketStatus.SUBMITTED)),
        ),
        now=now,
    )
    rows = mine.select_related(*ROW_FIELDS).order_by("deadline", "pk")
    sections = [
        ("dispatched", "待签收", counts["dispatched"], rows.filter(status=TicketStatus.DISPATCHED)),
        ("in_progress", "整改中", counts["in_progress"], rows.filter(status=TicketStatus.IN_PROGRESS)),
        ("soon", "即将超期", counts["soon"], rows.filter(soon)),
    ]
    context = {
        "unit": user.unit,
        "now": now,
        "counts": counts,
        "sections": [
            {"key": key, "title": title, "count": count, "tickets": list(tickets[:SECTION_LIMIT])}
            for key, title, count, tickets in sections
        ],
        "limit": SECTION_LIMIT,
    }
    return TemplateResponse(request, "tickets/inbox.html", context)


@login_required
@require_POST
def ticket_bulk_accept(request: AuthenticatedRequest) -> HttpResponse:
    """签收 from the inbox: the row's own button (`only`) or every ticked row; all or none."""
    user = request.user
    require(user.has_role(Role.UNIT) and user.unit_id is not None)
    raw = [request.POST["only"]] if request.POST.get("only") else request.POST.getlist("tickets")
    try:
        ids = sorted({int(value) for value in raw})
    except ValueError:
        raise Http404("工单不存在。") from None
    if not ids:
        messages.error(request, "请先勾选要签收的工单。")
        return redirect("tickets:inbox")
    chosen = list(Ticket.objects.visible_to(user).filter(pk__in=ids).order_by("number"))
    if len(chosen) != len(ids):
        raise Http404("所选工单不存在或不属于本单位。")
    try:
        tickets_accept(tickets=chosen, actor=user)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, f"未签收任何工单。{error_text(exc)}")
    else:
        messages.success(request, f"已签收 {len(chosen)} 件工单：{'、'.join(t.number for t in chosen)}。")
    return redirect("tickets:inbox")


@login_required
@require_GET
def ticket_overdue(request: AuthenticatedRequest) -> HttpResponse:
    """超期督办 for the office, leaders and inspectors: counts by unit, then tickets, most overdue first."""
    require(request.user.sees_everything)
    now = timezone.now()
    overdue = Ticket.objects.visible_to(request.user).overdue(now)
    by_unit = (
        overdue.values("responsible_unit_id", "responsible_unit__name")
        .annotate(
            total=Count("pk"),
            yellow=Count("pk", filter=Q(supervision=Supervision.YELLOW)),
            red=Count("pk", filter=Q(supervision=Supervision.RED)),
            listed=Count("pk", filter=Q(supervision=Supervision.LISTED)),
            oldest=Min("deadline"),
        )
        .order_by("-total", "oldest")
    )
    unit = request.GET.get("unit", "")
    chosen = Unit.objects.filter(pk=int(unit)).first() if unit.isdigit() else None
    rows = overdue.select_related(*ROW_FIELDS).order_by("deadline", "pk")
    if chosen is not None:
        rows = rows.filter(responsible_unit=chosen)
    page = QuickPaginator(rows, PER_PAGE, total_key=request_key(request)).get_page(request.GET.get("page"))
    units = [
        {**row, "oldest_by": duration_text(now - row["oldest"]) if row["oldest"] else ""}
        for row in remembered_about(
            Ticket, f"overdue-by-unit:{request.user.pk}", lambda: list(by_unit), now=now
        )
    ]
    context = {
        "now": now,
        "by_unit": units,
        "page": page,
        "chosen": chosen,
        "query": f"unit={chosen.pk}" if chosen else "",
    }
    return TemplateResponse(request, "tickets/overdue.html", context)


@login_required
@require_GET
def ticket_shelf(request: AuthenticatedRequest) -> HttpResponse:
    """挂账: pending 挂账 requests, then shelved tickets, longest on the shelf first (scoped to the user)."""
    now = timezone.now()
    visible = Ticket.objects.visible_to(request.user).select_related(*ROW_FIELDS)
    requests = visible.filter(shelve_requested=True).order_by("updated_at", "pk")
    shelved = visible.filter(status=TicketStatus.SHELVED).order_by("paused_at", "pk")
    page = QuickPaginator(shelved, PER_PAGE).get_page(request.GET.get("page"))
    context = {"requests": list(requests[:SECTION_LIMIT]), "page": page, "query": "", "now": now}
    return TemplateResponse(request, "tickets/shelf.html", context)
