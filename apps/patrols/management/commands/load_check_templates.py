"""Load the shipped check templates and items (fixtures/patrols/check_templates.json); safe to rerun."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.checklists.models import Standard
from apps.core.sync import details, summary
from apps.patrols.check_templates import STANDARD, Kind
from apps.patrols.services.check_templates import check_templates_load_shipped


class Command(BaseCommand):
    help = "载入巡查模板及检查项（须先载入问题类别）；已有的只比较不改写，加 --update 才按随附文件更新。"

    def add_arguments(self, parser: CommandParser) -> None:
        """--update brings templates and items already in the database in line with the shipped file."""
        parser.add_argument(
            "--update",
            action="store_true",
            help="按随附文件更新库中已有的模板和检查项（会覆盖在后台修改的内容）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Load and print a summary, then every template or item created, changed or differing."""
        try:
            rows = check_templates_load_shipped(update_existing=options["update"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        parts = [f"{kind}：{summary(row for row in rows if row.kind == kind)}" for kind in Kind]
        self.stdout.write(f"巡查{'；'.join(parts)}。")
        for line in details(rows):
            self.stdout.write(line)
        if not Standard.objects.filter(code=STANDARD, items__isnull=False).exists():
            self.stdout.write(
                f"尚未载入 {STANDARD} 标准，检查项未关联标准条款；"
                "运行 load_standards 后再加 --update 载入一次。"
            )
