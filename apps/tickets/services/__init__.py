"""Ticket writes: opening a ticket (create.py) and every later step (flow.py), each checking its right."""

from apps.tickets.services.create import (
    Reported,
    next_number,
    ticket_add_report_photos,
    ticket_create,
    ticket_report,
)
from apps.tickets.services.flow import (
    ticket_accept,
    ticket_decide_extension,
    ticket_decide_shelve,
    ticket_dispatch,
    ticket_file,
    ticket_recheck,
    ticket_request_extension,
    ticket_request_shelve,
    ticket_resume,
    ticket_return,
    ticket_submit,
    ticket_supervise,
    ticket_void,
    tickets_accept,
)

__all__ = [
    "Reported",
    "next_number",
    "ticket_accept",
    "ticket_add_report_photos",
    "ticket_create",
    "ticket_decide_extension",
    "ticket_decide_shelve",
    "ticket_dispatch",
    "ticket_file",
    "ticket_recheck",
    "ticket_report",
    "ticket_request_extension",
    "ticket_request_shelve",
    "ticket_resume",
    "ticket_return",
    "ticket_submit",
    "ticket_supervise",
    "ticket_void",
    "tickets_accept",
]
