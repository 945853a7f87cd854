"""URL modules for the ticket pages."""
