"""Navigation by role: each user sees the menu entries their roles open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from apps.accounts.roles import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Menu entries (label, url, active) for the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "grid_worker_only": False}
    if user.role_codes == {Role.GRID_WORKER}:
        # A grid worker's desktop menu is short: their day is the phone app, their grids and their tickets.
        return {"nav_items": _marked(request, _grid_worker_items()), "grid_worker_only": True}
    items = [("首页", reverse("home"))]
    # 整改工单 is the daily work of most roles, so it comes first; unit staff start from their inbox.
    if user.sees_everything or user.has_role(Role.STREET, Role.COMMUNITY, Role.GRID_WORKER):
        items.append(("整改工单", reverse("tickets:list")))
    if user.has_role(Role.UNIT) and user.unit_id:
        items.append(("工单待办", reverse("tickets:inbox")))
    items += _patrol_items(user)
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
    return {"nav_items": _marked(request, items), "grid_worker_only": False}


def _grid_worker_items() -> list[tuple[str, str]]:
    """首页, the phone app, their grids and points, the tickets of their grids."""
    return [
        ("首页", reverse("home")),
        ("手机巡查", _mobile_home()),
        ("我的网格", reverse("regions:list") + "?level=grid"),
        ("点位", reverse("points:list")),
        ("整改工单", reverse("tickets:list")),
    ]


def _marked(request: HttpRequest, items: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The entries as dicts, the current page's entry marked active."""
    # Only the most specific entry lights up: on /patrols/findings/ that is 巡查发现, not also 巡查覆盖.
    matches = [url.split("?")[0] for _, url in items if _is_active(request.path, url)]
    current = max(matches, key=len, default=None)
    return [{"label": label, "url": url, "active": url.split("?")[0] == current} for label, url in items]


def _patrol_items(user: Any) -> list[tuple[str, str]]:
    """Patrol pages for the whole-city roles and 街道/社区 staff; the phone app for grid workers."""
    items = []
    if user.sees_everything or (user.has_role(Role.STREET, Role.COMMUNITY) and user.scope_region_id):
        items += [("巡查覆盖", reverse("patrols:coverage")), ("巡查发现", reverse("patrols:findings"))]
    if user.manages_everything:
        items.append(("巡查模板", reverse("patrols:templates")))
    if user.has_role(Role.GRID_WORKER):
        items.append(("手机巡查", _mobile_home()))
    return items


def _mobile_home() -> str:
    """The phone app's start page; its URL name may not be registered yet, its path is fixed."""
    try:
        return reverse("mobile:home")
    except NoReverseMatch:
        return "/m/"


def _is_active(path: str, url: str) -> bool:
    """Highlight the entry whose URL the current page sits under (home only on itself)."""
    base = url.split("?")[0]
    return path == base if base == "/" else path.startswith(base)
