"""One ticket: facts, photos, the map pin, the timeline and a form for each action the user may take now.

Every action posts to `tickets:act`, which runs the action's service; the service checks the person and the
state again, so a stale page or a crafted post changes nothing: 403 for the wrong person, a message for the
wrong state.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.decorators import login_or_token_required
from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import User
from apps.calendars.worktime import work_minutes_between
from apps.core.exceptions import DomainError, error_text
from apps.core.images import photo_response
from apps.core.permissions import require
from apps.tickets import services
from apps.tickets.actions import BY_NAME, allowed_actions
from apps.tickets.forms import action_form
from apps.tickets.models import PhotoKind, Ticket, TicketEvent, TicketPhoto, TicketStatus
from apps.tickets.routing import route
from apps.tickets.views.common import duration_text, visible_ticket

AMAP_MARKER = "https://uri.amap.com/marker"
# The step that moves the ticket on is shown open; the others (退回, 延期, 挂账, 作废, 督办) fold away.
PRIMARY = {
    "file",
    "dispatch",
    "accept",
    "submit",
    "recheck",
    "extension-decision",
    "shelve-decision",
    "resume",
}


def deadline_note(ticket: Ticket, now: datetime) -> tuple[str, str]:
    """(text, tag class) describing where the ticket stands against its deadline."""
    if ticket.deadline is None:
        return "", ""
    if ticket.clock_running:
        if ticket.deadline < now:
            return f"已超期 {duration_text(now - ticket.deadline)}", "bad"
        minutes = work_minutes_between(now, ticket.deadline)
        text = f"剩余 {duration_text(timedelta(minutes=minutes))}（工作时间）"
        return text, "warn" if minutes < 8 * 60 else "ok"
    if ticket.status == TicketStatus.SHELVED:
        return "挂账中，计时暂停", "off"
    if ticket.status == TicketStatus.CLOSED:
        return ("按期办结", "ok") if ticket.closed_on_time else ("超期办结", "bad")
    return "", ""


def amap_link(ticket: Ticket) -> str:
    """高德地图's marker page for the ticket's WGS-84 coordinates (opens the app on phones)."""
    query = {"position": f"{ticket.lng},{ticket.lat}", "name": ticket.title, "coordinate": "wgs84"}
    return f"{AMAP_MARKER}?{urlencode(query, safe=',')}"


def _action_forms(user: User, ticket: Ticket) -> list[dict[str, Any]]:
    """The allowed actions, each with its empty form; dispatch comes preset to the routing suggestion."""
    shown = []
    for action in allowed_actions(user, ticket):
        initial: dict[str, Any] = {}
        suggestion = None
        if action.name == "dispatch":
            suggestion = route(ticket.category, ticket.region)
            initial["unit"] = suggestion
        form = action_form(action.name, ticket, initial=initial)
        shown.append(
            {"action": action, "form": form, "suggestion": suggestion, "primary": action.name in PRIMARY}
        )
    return shown


@dataclass(frozen=True)
class TimelineStep:
    """One event of the timeline with the photos taken at that step."""

    event: TicketEvent
    photos: list[TicketPhoto]


@login_required
@require_GET
def ticket_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ticket's header, facts, photos side by side, map pin, timeline and allowed actions."""
    ticket = visible_ticket(request, pk)
    now = timezone.now()
    photos = list(ticket.photos.order_by("uploaded_at", "pk"))
    by_kind: dict[str, list[TicketPhoto]] = defaultdict(list)
    by_event: dict[int | None, list[TicketPhoto]] = defaultdict(list)
    for photo in photos:
        by_kind[photo.kind].append(photo)
        by_event[photo.event_id].append(photo)
    events = [
        TimelineStep(event, by_event[event.pk]) for event in ticket.events.select_related("actor", "unit")
    ]
    note, note_class = deadline_note(ticket, now)
    context = {
        "ticket": ticket,
        "now": now,
        "deadline_note": note,
        "deadline_class": note_class,
        "photo_columns": [(kind.label, by_kind[kind.value]) for kind in PhotoKind],
        "events": events,
        "recurrences": ticket.recurrences.order_by("created_at"),
        "amap": amap_link(ticket) if ticket.lat is not None and ticket.lng is not None else "",
        "actions": _action_forms(request.user, ticket),
    }
    return TemplateResponse(request, "tickets/detail.html", context)


Call = Callable[[Ticket, User, dict[str, Any]], Ticket]

# Each action name → its service, called with the form's cleaned data.
CALLS: dict[str, Call] = {
    "file": lambda t, a, d: services.ticket_file(ticket=t, actor=a, comment=d["comment"]),
    "dispatch": lambda t, a, d: services.ticket_dispatch(
        ticket=t, actor=a, unit=d["unit"], deadline=d["deadline"], comment=d["comment"]
    ),
    "accept": lambda t, a, d: services.ticket_accept(ticket=t, actor=a),
    "return": lambda t, a, d: services.ticket_return(ticket=t, actor=a, reason=d["reason"]),
    "submit": lambda t, a, d: services.ticket_submit(
        ticket=t, actor=a, comment=d["comment"], photos=d["photos"]
    ),
    "recheck": lambda t, a, d: services.ticket_recheck(
        ticket=t, actor=a, passed=d["passed"], comment=d["comment"], photos=d["photos"]
    ),
    "extension": lambda t, a, d: services.ticket_request_extension(
        ticket=t, actor=a, until=d["until"], reason=d["reason"]
    ),
    "extension-decision": lambda t, a, d: services.ticket_decide_extension(
        ticket=t, actor=a, approve=d["approve"], comment=d["comment"]
    ),
    "shelve": lambda t, a, d: services.ticket_request_shelve(ticket=t, actor=a, reason=d["reason"]),
    "shelve-decision": lambda t, a, d: services.ticket_decide_shelve(
        ticket=t, actor=a, approve=d["approve"], comment=d["comment"]
    ),
    "resume": lambda t, a, d: services.ticket_resume(ticket=t, actor=a, comment=d["comment"]),
    "void": lambda t, a, d: services.ticket_void(ticket=t, actor=a, reason=d["reason"]),
    "supervise": lambda t, a, d: services.ticket_supervise(
        ticket=t, actor=a, level=d["level"], comment=d["comment"]
    ),
}
DONE = {
    "file": "已立案，等待派遣。",
    "accept": "已签收，请在整改时限内完成整改。",
    "return": "已退回创卫办重新派遣。",
    "submit": "已提交整改，等待核查。",
    "extension": "已提交延期申请，等待创卫办审批。",
    "extension-decision": "已批准延期，整改时限已更新。",
    "shelve": "已提交挂账申请，等待创卫办审批。",
    "shelve-decision": "已批准挂账，计时暂停。",
    "resume": "已恢复整改，整改时限已顺延。",
    "void": "工单已作废。",
}


def _done_message(action: str, ticket: Ticket, data: dict[str, Any]) -> str:
    """What the user is told after the action succeeded."""
    if action == "dispatch" and ticket.deadline:
        deadline = timezone.localtime(ticket.deadline)
        return f"已派遣至 {ticket.responsible_unit}，整改时限 {deadline:%Y-%m-%d %H:%M}。"
    if action == "recheck":
        return "核查通过，工单已销号。" if data["passed"] else "核查不通过，已交回责任单位返工。"
    if action.endswith("-decision") and not data["approve"]:
        return "已不批准延期申请。" if action == "extension-decision" else "已不批准挂账申请。"
    if action == "supervise":
        return f"已提级为「{ticket.get_supervision_display()}」。"
    return DONE.get(action, "操作成功。")


@login_required
@require_POST
def ticket_act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """Run one action through its service, then go back to the ticket with a message saying what happened."""
    ticket = visible_ticket(request, pk)
    if action not in CALLS:
        raise Http404("没有这个操作。")
    form = action_form(action, ticket, request.POST, request.FILES)
    if not form.is_valid():
        # Someone who may not take the action at all gets 403, not a list of missing fields.
        require(BY_NAME[action].allowed(request.user, ticket))
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else str(error))
        return redirect("tickets:detail", pk=pk)
    try:
        # PermissionDenied (the wrong person) is left to become 403.
        done = CALLS[action](ticket, request.user, form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("tickets:detail", pk=pk)
    messages.success(request, f"{done.number}：{_done_message(action, done, form.cleaned_data)}")
    if Ticket.objects.visible_to(request.user).filter(pk=pk).exists():
        return redirect("tickets:detail", pk=pk)
    # After 退回 the ticket is no longer the unit's, so its page would be a 404.
    return redirect("tickets:inbox" if request.user.unit_id else "tickets:list")


@login_or_token_required
@require_GET
def ticket_photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A ticket photo (or `?size=thumb`) for those who can see the ticket; never from a public folder."""
    visible = Ticket.objects.visible_to(request.user)
    photo = get_object_or_404(TicketPhoto.objects.filter(ticket__in=visible), pk=pk)
    return photo_response(photo.image, size=request.GET.get("size"))
