"""Give the demo city two weeks of patrols, visits, results and a few findings (or, with --bulk-checks, a
year of bulk patrol results for the benchmark)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.patrols.models import CheckTemplate, Patrol
from apps.patrols.services.demo import build_demo_patrols
from apps.patrols.services.demo_bulk import build_bench_patrols


class Command(BaseCommand):
    help = "为演示城市生成近两周的网格巡查记录和少量巡查发现。"

    def add_arguments(self, parser: CommandParser) -> None:
        """--if-empty, --bulk-checks (benchmarks) and --force (DEBUG off)."""
        parser.add_argument("--if-empty", action="store_true", help="库中已有巡查记录时什么也不做。")
        parser.add_argument(
            "--bulk-checks",
            type=int,
            metavar="N",
            help="批量写入近一年约 N 条检查结果（含巡查和点位记录），不生成巡查发现（仅性能测试用）。",
        )
        parser.add_argument("--force", action="store_true", help="DEBUG 关闭时也写入演示数据。")

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the patrols and report what was written."""
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG 未开启，当前可能是生产环境：演示数据不会写入。确需写入请加 --force。")
        if options["if_empty"] and Patrol.objects.exists():
            self.stdout.write("库中已有巡查记录，未做任何修改。")
            return
        if not CheckTemplate.objects.exists():
            raise CommandError("还没有巡查模板：请先运行 python manage.py load_check_templates。")
        if options["bulk_checks"] is not None:
            self._bulk(options["bulk_checks"])
            return
        counts = build_demo_patrols()
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {counts['patrols']} 次巡查、{counts['visits']} 个点位巡查记录、"
                f"{counts['findings']} 条巡查发现（其中 {counts['tickets']} 条已成为工单），"
                f"另有 {counts['waiting_recheck']} 张工单等待演示账号 grid 在手机上核查。"
            )
        )

    def _bulk(self, checks: int) -> None:
        """Write the benchmark's patrol results in bulk and report the counts and the time taken."""
        if checks < 1:
            raise CommandError("--bulk-checks 须为正整数。")
        started = time.monotonic()
        try:
            counts = build_bench_patrols(checks=checks)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已批量生成 {counts['patrols']} 次巡查、{counts['visits']} 个点位巡查记录、"
                f"{counts['checks']} 条检查结果，用时 {seconds:.1f} 秒。"
            )
        )
