"""Navigation by role: each user sees the menu entries their roles open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from apps.accounts.models import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Menu entries (label, url, active) for the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("首页", reverse("home"))]
    # 整改工单 is the daily work of most roles, so it comes first; unit staff start from their inbox.
    if user.sees_everything or user.has_role(Role.STREET, Role.COMMUNITY, Role.GRID_WORKER):
        items.append(("整改工单", reverse("tickets:list")))
    if user.has_role(Role.UNIT) and user.unit_id:
        items.append(("工单待办", reverse("tickets:inbox")))
    if user.sees_everything:
        items += [("创建任务", reverse("campaigns:list")), ("标准", reverse("standards:list"))]
    if user.manages_everything:
        items.append(("材料审核", reverse("review:queue")))
    if user.has_role(Role.UNIT) and user.unit_id:
        items.append(("我的任务", reverse("tasks:list")))
    if user.sees_everything:
        items += [
            ("区域", reverse("regions:list")),
            ("责任单位", reverse("units:list")),
            ("点位", reverse("points:list")),
        ]
    else:
        if user.has_role(Role.STREET, Role.COMMUNITY) and user.scope_region_id:
            items += [
                ("辖区", reverse("regions:detail", args=[user.scope_region_id])),
                ("区域", reverse("regions:list")),
                ("责任单位", reverse("units:list")),
            ]
        if user.has_role(Role.UNIT) and user.unit_id:
            items.append(("本单位", reverse("units:detail", args=[user.unit_id])))
        if user.has_role(Role.GRID_WORKER):
            items.append(("我的网格", reverse("regions:list") + "?level=grid"))
        items.append(("点位", reverse("points:list")))
    if user.is_staff:
        items.append(("后台管理", reverse("admin:index")))
    path = request.path
    nav = [{"label": label, "url": url, "active": _is_active(path, url)} for label, url in items]
    return {"nav_items": nav}


def _is_active(path: str, url: str) -> bool:
    """Highlight the entry whose URL the current page sits under (home only on itself)."""
    base = url.split("?")[0]
    return path == base if base == "/" else path.startswith(base)
