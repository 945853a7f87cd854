"""Load the shipped national standards (2021 and 2014) from fixtures/standards/; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.checklists.models import Standard
from apps.checklists.services import standards_load_shipped
from apps.core.sync import WRITTEN


class Command(BaseCommand):
    help = "载入国家卫生城市标准（2021版、2014版）；已有的标准只比较不改写，加 --update 才按随附文件更新。"

    def add_arguments(self, parser: CommandParser) -> None:
        """--update brings standards already in the database in line with the shipped files."""
        parser.add_argument(
            "--update",
            action="store_true",
            help="按随附文件更新库中已有的标准（会覆盖通过 Excel 导入的修改）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Load both standards and print, per standard, what was created or changed (or would be)."""
        existing = set(Standard.objects.values_list("code", flat=True))
        try:
            plans = standards_load_shipped(update_existing=options["update"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        for plan in plans:
            code = plan.data.code if plan.data else ""
            if code in existing and not options["update"] and plan.has_changes:
                self.stdout.write(
                    f"{code} 已存在，与随附文件相比：{plan.summary()} 未写入；加 --update 才会更新。"
                )
                continue
            self.stdout.write(f"{plan.standard}（{code}）：{plan.summary()}")
            for row in plan.rows:
                if row.action in WRITTEN:
                    self.stdout.write(f"  {row}")
