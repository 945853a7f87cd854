"""The ticket list: filters, the office's bulk dispatch, and the Excel export of the filtered rows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, OrderBy
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.roles import Role
from apps.core.exceptions import DomainError, error_text
from apps.core.pages import list_page
from apps.core.permissions import require
from apps.regions.models import Unit
from apps.tickets.exports import ticket_workbook
from apps.tickets.filters import TicketFilter
from apps.tickets.forms import BulkDispatchForm
from apps.tickets.models import Ticket, TicketStatus
from apps.tickets.permissions import is_office
from apps.tickets.routing import route
from apps.tickets.services import ticket_dispatch
from apps.tickets.views.common import may_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Past this many rows an export is refused with a hint to narrow the filters: a bigger sheet takes minutes
# to write and is no use opened in Excel anyway.
EXPORT_LIMIT = 50_000

# Column sorts a header click picks (?sort=…); anything else falls back to the default. Tickets not yet
# dispatched have no deadline and sort after those that have one, either way.
SORTS: dict[str, tuple[OrderBy | str, ...]] = {
    "deadline": (F("deadline").asc(nulls_last=True), "-supervision", "pk"),
    "-deadline": (F("deadline").desc(nulls_last=True), "-supervision", "-pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
    "supervision": ("supervision", F("deadline").asc(nulls_last=True), "pk"),
    "-supervision": ("-supervision", F("deadline").asc(nulls_last=True), "pk"),
}
# Most urgent first: the earliest deadline (so the longest overdue) on top, the higher 督办 level first.
DEFAULT_SORT = "deadline"
NOT_FILTERS = {"page", "sort"}
GRID_WORKER_FILTERS = {"q", "status", "open", "overdue", "mine"}


def chosen_sort(request: AuthenticatedRequest) -> str:
    """The valid sort in the query string, else the default."""
    sort = request.GET.get("sort", "")
    return sort if sort in SORTS else DEFAULT_SORT


def _filtered(request: AuthenticatedRequest) -> TicketFilter:
    """The user's tickets under the filters in the query string, in the chosen order.

    Without any filter the list is the day's work: unfinished tickets only (the filter shows 办结：未办结,
    so choosing 全部 there shows the finished ones too).
    """
    tickets = (
        Ticket.objects.visible_to(request.user)
        .select_related("category", "region", "responsible_unit")
        .order_by(*SORTS[chosen_sort(request)])
    )
    data = request.GET.copy()
    if not set(data) - NOT_FILTERS:
        data["open"] = "true"
    filterset = TicketFilter(data, queryset=tickets, request=request)
    if request.user.role_codes == {Role.GRID_WORKER}:
        # A grid worker follows their own reports in their grids: a few filters, not the office's console.
        filterset.filters = {k: v for k, v in filterset.filters.items() if k in GRID_WORKER_FILTERS}
    return filterset


@login_required
@require_GET
def ticket_list(request: AuthenticatedRequest) -> HttpResponse:
    """Tickets the user can see, unfinished and most urgent first, filterable and sortable by column."""
    office = is_office(request.user)
    keep = request.GET.copy()
    for name in NOT_FILTERS:
        keep.pop(name, None)
    context = {
        "sort": chosen_sort(request),
        "sort_query": keep.urlencode(),
        "now": timezone.now(),
        "is_office": office,
        "can_report": may_report(request.user),
        "sees_everything": request.user.sees_everything,
        "bulk_form": BulkDispatchForm(auto_id="bulk_%s") if office else None,
    }
    return list_page(request, template="tickets/list.html", filterset=_filtered(request), context=context)


@login_required
@require_GET
def ticket_export(request: AuthenticatedRequest) -> HttpResponseBase:
    """The filtered tickets as an .xlsx download, with a summary of each ticket's timeline."""
    filterset = _filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, "筛选条件有误，请检查后再导出。")
        return redirect("tickets:list")
    rows = filterset.qs
    total = rows.count()
    if total > EXPORT_LIMIT:
        messages.error(
            request, f"筛选结果共 {total} 件，超过单次导出上限 {EXPORT_LIMIT} 件，请缩小筛选范围。"
        )
        return redirect(f"{reverse('tickets:list')}?{request.GET.urlencode()}")
    now = timezone.now()
    filename = f"整改工单-{timezone.localtime(now):%Y%m%d-%H%M}.xlsx"
    return FileResponse(
        ticket_workbook(rows, now=now), as_attachment=True, filename=filename, content_type=XLSX
    )


@login_required
@require_POST
def ticket_bulk_dispatch(request: AuthenticatedRequest) -> HttpResponse:
    """The office dispatches the selected tickets one by one; each ticket's outcome is reported."""
    require(is_office(request.user))
    form = BulkDispatchForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if not form.is_valid():
        messages.error(request, "请至少选择一件工单。")
        return redirect(back or "tickets:list")
    chosen = (
        Ticket.objects.visible_to(request.user)
        .filter(pk__in=form.cleaned_data["tickets"])
        .select_related("category__parent", "region")
        .order_by("number")
    )
    done = [
        f"{ticket.number} → {unit}"
        for ticket in chosen
        if (unit := _dispatch_one(request, ticket, form.cleaned_data["unit"])) is not None
    ]
    if done:
        messages.success(request, f"已派遣 {len(done)} 件工单：" + "；".join(done) + "。")
    return redirect(back or "tickets:list")


def _dispatch_one(request: AuthenticatedRequest, ticket: Ticket, unit: Unit | None) -> Unit | None:
    """Dispatch one ticket (atomically, in its service) to the chosen unit or its suggestion; say why not."""
    if ticket.status not in (TicketStatus.REPORTED, TicketStatus.FILED):
        messages.warning(request, f"{ticket.number}：当前为「{ticket.get_status_display()}」，未派遣。")
        return None
    target = unit or route(ticket.category, ticket.region)
    if target is None:
        messages.warning(request, f"{ticket.number}：没有派遣建议（无匹配规则），请在工单页选择责任单位。")
        return None
    try:
        ticket_dispatch(ticket=ticket, actor=request.user, unit=target)
    except (DomainError, ValidationError, PermissionDenied) as exc:
        messages.warning(request, f"{ticket.number}：{error_text(exc)}")
        return None
    return target
