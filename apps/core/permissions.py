"""The one refusal every app's pages and services share: 403 when the user may see a row but not change it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Raise 403 unless allowed."""
    if not allowed:
        raise PermissionDenied("您没有修改此数据的权限。")
