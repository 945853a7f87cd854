"""Load the shipped problem categories and time limits (fixtures/tickets/categories.json); safe to rerun."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.tickets.categories import Action, problem_categories_load_shipped


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
        tally = Counter(row.action for row in rows)
        self.stdout.write(
            f"问题类别：新增 {tally[Action.CREATE]} 个、修改 {tally[Action.UPDATE]} 个、"
            f"不变 {tally[Action.SAME]} 个、与随附文件不同而未改 {tally[Action.DIFFERENT]} 个。"
        )
        for row in rows:
            if row.action != Action.SAME:
                self.stdout.write(f"  {row}")
        if tally[Action.DIFFERENT]:
            self.stdout.write("库中的设置已保留；加 --update 才会按随附文件改写。")
