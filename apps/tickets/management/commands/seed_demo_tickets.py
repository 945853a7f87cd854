"""Give the demo city a ticket history: tickets in every state over the last six months, told through the
services (or, with --no-events, bulk rows for the benchmark)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.tickets.demo import build_bench_tickets, build_demo_tickets
from apps.tickets.models import Ticket, TicketStatus

# Each demo ticket walks its road through the services (15–30 ms each on SQLite); 300 keep `make run` quick
# and still fill half a year of dashboards. The benchmark asks for 200,000 bulk rows with --count --no-events.
DEFAULT_COUNT = 300


class Command(BaseCommand):
    help = "为演示城市生成整改工单历史（各种状态），用于演示和性能测试。"

    def add_arguments(self, parser: CommandParser) -> None:
        """--count, --if-empty, --no-events (benchmarks) and --force (DEBUG off)."""
        parser.add_argument(
            "--count", type=int, default=DEFAULT_COUNT, help=f"生成的工单数（默认 {DEFAULT_COUNT}）。"
        )
        parser.add_argument("--if-empty", action="store_true", help="库中已有工单时什么也不做。")
        parser.add_argument(
            "--no-events", action="store_true", help="批量写入工单行、不生成工单记录和照片（仅性能测试用）。"
        )
        parser.add_argument("--force", action="store_true", help="DEBUG 关闭时也写入演示数据。")

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the tickets in batches and report the count per state."""
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG 未开启，当前可能是生产环境：演示数据不会写入。确需写入请加 --force。")
        if options["if_empty"] and Ticket.objects.exists():
            self.stdout.write("库中已有整改工单，未做任何修改。")
            return
        if options["count"] < 1:
            raise CommandError("--count 须为正整数。")
        started = time.monotonic()
        try:
            if options["no_events"]:
                states = build_bench_tickets(count=options["count"], events=False)
            else:
                states = build_demo_tickets(count=options["count"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        labels = dict(TicketStatus.choices)
        summary = "、".join(f"{labels[s]} {n}" for s, n in states.most_common())
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {sum(states.values())} 张整改工单（{summary}），用时 {seconds:.1f} 秒。"
            )
        )
