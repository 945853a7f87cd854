"""Who reads the office's patrol pages, and small pieces those pages share.

Coverage, the patrols list and the check templates are for the whole-city roles (创卫办, 领导, 督查员) and
街道/社区 staff (their territory, through visible_to). Grid workers work from the phone app (/m/), but may
also read the findings and patrols of their own grids here. Unit staff see findings only as the tickets
they are sent, so every patrol page is 403 to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied

from apps.accounts.models import Role, User
from apps.patrols.models import Finding, FindingPhoto
from apps.tickets.models import Ticket

AMAP_MARKER = "https://uri.amap.com/marker"


def may_read_reports(user: User) -> bool:
    """Coverage, the patrols list and the templates: the whole-city roles and 街道/社区 staff."""
    territorial = user.has_role(Role.STREET, Role.COMMUNITY) and user.scope_region_id is not None
    return user.sees_everything or territorial


def may_read_findings(user: User) -> bool:
    """Findings and a patrol's page: those who read the reports, and grid workers (their grids)."""
    return may_read_reports(user) or user.has_role(Role.GRID_WORKER)


def require_reader(allowed: bool) -> None:
    """403 unless allowed."""
    if not allowed:
        raise PermissionDenied("您没有查看巡查数据的权限。")


def amap_link(lat: Decimal, lng: Decimal, name: str) -> str:
    """高德地图's marker page for WGS-84 coordinates (opens the app on phones)."""
    query = {"position": f"{lng},{lat}", "name": name, "coordinate": "wgs84"}
    return f"{AMAP_MARKER}?{urlencode(query, safe=',')}"


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A finding as the office lists show it: whether its ticket may be opened, and its first photos."""

    finding: Finding
    ticket_visible: bool
    thumbs: tuple[FindingPhoto, ...] = ()
    more_photos: int = 0

    @property
    def pk(self) -> int:
        """The finding's id: a row is known by the finding it shows."""
        return self.finding.pk


def visible_ticket_ids(user: User, findings: Iterable[Finding]) -> set[int]:
    """Ids of the findings' tickets the user may open (one query): only those are linked."""
    ids = [finding.ticket_id for finding in findings if finding.ticket_id]
    if not ids:
        return set()
    return set(Ticket.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def finding_rows(user: User, findings: Iterable[Finding]) -> list[FindingRow]:
    """The findings as rows with their ticket links the user may follow (no photos)."""
    findings = list(findings)
    visible = visible_ticket_ids(user, findings)
    return [FindingRow(finding=finding, ticket_visible=finding.ticket_id in visible) for finding in findings]
