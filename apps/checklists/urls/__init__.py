"""URL modules for the checklists pages, one namespace per area."""
