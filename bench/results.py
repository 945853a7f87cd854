"""The bench's targets (issue 12: ratios to /ping/ in the same run) and its results files.

Each run's JSON is also written to bench/results/<date>-<commit>.json, so figures can be compared across
commits; `python bench/table.py` prints the newest as the README's Markdown table.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"

# name → (least ratio to ping, greatest p95 in ms or None)
TARGETS: dict[str, tuple[float, float | None]] = {
    "ticket_list_page": (0.10, 100.0),
    "ticket_list_page_overdue_filter": (0.10, 100.0),
    "ticket_list_api": (0.12, None),
    "point_list_api_vs_trivial": (0.25, None),
    "finding_submit_metadata_only": (0.10, None),
    "finding_submit_with_200kb_photo": (0.06, None),
    "unit_inbox_page": (0.10, None),
    "overdue_board_page": (0.10, None),
    "patrol_coverage_page": (0.10, None),
    "home_page_office": (0.10, None),
    "home_page_leader": (0.10, None),
    "home_page_unit": (0.10, None),
}


def with_target(record: dict[str, Any]) -> dict[str, Any]:
    """The record with its target and whether this run met it (records without a target pass through)."""
    target = TARGETS.get(record["name"])
    if target is None or "ratio" not in record:
        return record
    least, p95 = target
    met = record["ratio"] >= least and (p95 is None or record["p95_ms"] <= p95)
    return {**record, "target_ratio": least, "target_p95_ms": p95, "meets_target": met}


def commit_label() -> str:
    """The short commit, with -dirty when the tree has uncommitted changes."""
    root = RESULTS.parent.parent

    def git(*args: str) -> str:
        command = ["git", *args]  # git from PATH, as make finds it
        return subprocess.run(command, cwd=root, capture_output=True, text=True, check=False).stdout

    short = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    return short + ("-dirty" if git("status", "--porcelain", "--untracked-files=no").strip() else "")


def save_results(text: str) -> Path:
    """Write this run's JSON under bench/results/ and return its path."""
    RESULTS.mkdir(exist_ok=True)
    today = datetime.now(UTC).astimezone().date()  # the machine's local day
    path = RESULTS / f"{today:%Y-%m-%d}-{commit_label()}.json"
    path.write_text(text + "\n", encoding="utf-8")
    return path
