"""Load the shipped problem categories and time limits (fixtures/tickets/categories.json); safe to rerun."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.sync import details, summary
from apps.tickets.services.categories import problem_categories_load_shipped


class Command(BaseCommand):
    help = "载入问题类别及处置时限；已有的类别只比较不改写，加 --update 才按随附文件更新。"

    def add_arguments(self, parser: CommandParser) -> None:
        """--update brings categories already in the database in line with the shipped file."""
        parser.add_argument(
            "--update",
            action="store_true",
            help="按随附文件更新库中已有的类别（会覆盖在后台修改的时限和单位类型）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Load the categories and print a summary, then every category created, changed or differing."""
        try:
            rows = problem_categories_load_shipped(update_existing=options["update"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"问题类别：{summary(rows)}。")
        for line in details(rows):
            self.stdout.write(line)
