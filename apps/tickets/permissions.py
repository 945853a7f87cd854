"""Who may take which action on a ticket; services call these, pages use them to show only allowed buttons."""

from __future__ import annotations

from apps.accounts.models import Role, User
from apps.regions.choices import Level
from apps.regions.models import Region
from apps.regions.scope import territory_scope
from apps.tickets.models import Ticket


def is_office(user: User) -> bool:
    """创卫办 (and its administrators): file, dispatch, decide on extensions and 挂账, void."""
    return user.manages_everything


def is_handler(user: User, ticket: Ticket) -> bool:
    """Staff of the unit the ticket is assigned to: accept, return, submit, ask for more time or 挂账."""
    return (
        user.has_role(Role.UNIT)
        and user.unit_id is not None
        and ticket.responsible_unit_id is not None
        and user.unit_id == ticket.responsible_unit_id
    )


def ticket_grid_id(ticket: Ticket) -> int | None:
    """The grid the ticket lies in: its point's grid, else its region when that is a grid."""
    if ticket.point_id and ticket.point is not None:
        return ticket.point.grid_id
    return ticket.region_id if ticket.region.level == Level.GRID else None


def can_recheck(user: User, ticket: Ticket) -> bool:
    """核查 is independent of the handler: the office, inspectors, or a grid worker of the ticket's grid."""
    if is_handler(user, ticket):
        return False
    if user.manages_everything or user.has_role(Role.INSPECTOR):
        return True
    grid_id = ticket_grid_id(ticket)
    return (
        grid_id is not None and user.has_role(Role.GRID_WORKER) and grid_id in territory_scope(user).grid_ids
    )


def can_supervise(user: User) -> bool:
    """Raising 督办 needs a level above the handling unit: the office or a city leader."""
    return user.manages_everything or user.has_role(Role.LEADER)


def can_report_in(user: User, region: Region) -> bool:
    """Who may file a problem in a region: the office and inspectors anywhere, territory staff in theirs."""
    if user.manages_everything or user.has_role(Role.INSPECTOR, Role.LEADER):
        return True
    own = user.scope_region
    if user.has_role(Role.STREET, Role.COMMUNITY) and own is not None and region.path.startswith(own.path):
        return True
    # A grid worker's grids are in the scope the request has already read.
    return user.has_role(Role.GRID_WORKER) and region.pk in territory_scope(user).grid_ids
