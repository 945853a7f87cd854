"""Which actions a user may take on a ticket right now: the state and the person, as the services check them.

Pages show exactly these buttons and the API lists them as `allowed_actions`; the services still check again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from apps.accounts.models import User
from apps.tickets.models import Supervision, Ticket, TicketStatus
from apps.tickets.permissions import can_recheck, can_supervise, is_handler, is_office

S = TicketStatus


@dataclass(frozen=True)
class Action:
    """An action's API name, its Chinese label and who may take it in which state."""

    name: str
    label: str
    allowed: Callable[[User, Ticket], bool]


def _office(*states: str) -> Callable[[User, Ticket], bool]:
    return lambda user, ticket: ticket.status in states and is_office(user)


def _handler(*states: str) -> Callable[[User, Ticket], bool]:
    return lambda user, ticket: ticket.status in states and is_handler(user, ticket)


def _can_raise(ticket: Ticket) -> bool:
    """Open and not yet at the top level."""
    return ticket.status not in (S.CLOSED, S.VOID) and ticket.supervision < Supervision.LISTED


ACTIONS = [
    Action("file", "立案", _office(S.REPORTED)),
    Action("dispatch", "派遣", _office(S.REPORTED, S.FILED)),
    Action("accept", "签收", _handler(S.DISPATCHED)),
    Action("return", "退回", _handler(S.DISPATCHED, S.IN_PROGRESS)),
    Action("submit", "提交整改", _handler(S.IN_PROGRESS)),
    Action("recheck", "核查", lambda u, t: t.status == S.SUBMITTED and can_recheck(u, t)),
    Action(
        "extension",
        "申请延期",
        lambda u, t: _handler(S.DISPATCHED, S.IN_PROGRESS)(u, t) and t.extension_until is None,
    ),
    Action("extension-decision", "审批延期", lambda u, t: t.extension_until is not None and is_office(u)),
    Action("shelve", "申请挂账", lambda u, t: _handler(S.IN_PROGRESS)(u, t) and not t.shelve_requested),
    Action("shelve-decision", "审批挂账", lambda u, t: t.shelve_requested and is_office(u)),
    Action("resume", "恢复整改", _office(S.SHELVED)),
    Action("void", "作废", _office(S.REPORTED, S.FILED, S.DISPATCHED, S.IN_PROGRESS, S.SHELVED)),
    Action("supervise", "提级督办", lambda u, t: _can_raise(t) and can_supervise(u)),
]
BY_NAME = {action.name: action for action in ACTIONS}


def allowed_actions(user: User, ticket: Ticket) -> list[Action]:
    """The actions the user may take on the ticket now, in the order of the lifecycle."""
    return [action for action in ACTIONS if action.allowed(user, ticket)]
