"""Print the newest bench/results/*.json as the README's Markdown table: python bench/table.py [FILE]."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from results import RESULTS, TARGETS  # bench/results.py


def main() -> None:
    """One row per measured path: rate, ratio to ping and target, p95, SQL statements and in-process time."""
    # Newest by the date in the name, then by when the file was written (two runs on one day).
    newest = max(RESULTS.glob("*.json"), key=lambda path: (path.name[:10], path.stat().st_mtime))
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else newest
    records = json.loads(path.read_text(encoding="utf-8"))
    print(f"`{path.name}`\n")
    print("| 路径 | 请求/秒 | 与 /ping/ 之比 | 目标 | p95 (ms) | 达标 | SQL 语句 | 进程内 (ms) |")
    print("|---|---|---|---|---|---|---|---|")
    for record in records:
        if "rps" not in record or record["name"] == "ping":
            continue
        least, p95 = TARGETS.get(record["name"], (None, None))
        target = "" if least is None else f"≥ {least}" + (f"，p95 ≤ {p95:g}" if p95 else "")
        met = {True: "是", False: "否"}.get(record.get("meets_target"), "")
        row = [record["name"], record["rps"], record["ratio"], target, record.get("p95_ms", ""), met]
        row += [record.get("sql_statements", ""), record.get("in_process_ms", "")]
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    ping = next(r for r in records if r["name"] == "ping")
    print(f"\n基准 `/ping/`：{ping['rps']} 请求/秒。")


if __name__ == "__main__":
    main()
