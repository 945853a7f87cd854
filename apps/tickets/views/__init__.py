"""Ticket pages: the list and export, reporting, one ticket with its actions, and the working lists."""
