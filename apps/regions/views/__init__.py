"""Pages for regions, units and points."""
