"""Office pages under /patrols/ and the grid worker's phone pages under /m/."""
