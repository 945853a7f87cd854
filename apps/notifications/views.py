"""The inbox page: list, open one (mark read and follow its link), mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedRequest
from apps.notifications.models import Notification, is_relative_link
from apps.notifications.services import notification_mark_read, notifications_mark_all_read

PER_PAGE = 30  # a few screens on a phone


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones highlighted; `?unread=1` shows only those."""
    unread_only = request.GET.get("unread") == "1"
    rows = Notification.objects.visible_to(request.user).newest_first()
    if unread_only:
        rows = rows.unread()
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = "unread=1" if unread_only else ""
    return TemplateResponse(
        request, "notifications/list.html", {"page": page, "unread_only": unread_only, "query": query}
    )


@login_required
@require_POST
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link (back to the list when it has none)."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    notification_mark_read(notification=notification, actor=request.user)
    if not notification.link:
        return redirect("notifications:list")
    # Rows are validated on the way in, but one written around `notify` must still not send users off-site.
    if not is_relative_link(notification.link):
        messages.error(request, "该通知的链接不是本站地址，已阻止跳转。")
        return redirect("notifications:list")
    return redirect(notification.link)


@login_required
@require_POST
def notifications_read_all(request: AuthenticatedRequest) -> HttpResponse:
    """全部标为已读."""
    changed = notifications_mark_all_read(actor=request.user)
    messages.success(request, f"已将 {changed} 条通知标为已读。" if changed else "没有未读通知。")
    return redirect("notifications:list")
