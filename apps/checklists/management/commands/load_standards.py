"""Load the shipped national standards (2021 and 2014) from fixtures/standards/; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.checklists.standards import Action, standards_load_shipped


class Command(BaseCommand):
    help = "载入国家卫生城市标准（2021版、2014版）；已载入的只更新有变化的行。"

    def handle(self, *args: Any, **options: Any) -> None:
        """Load both standards and print, per standard, what was created or changed."""
        try:
            plans = standards_load_shipped()
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        for plan in plans:
            self.stdout.write(f"{plan.standard}（{plan.data.code if plan.data else ''}）：{plan.summary()}")
            for row in plan.rows:
                if row.action in {Action.CREATE, Action.UPDATE}:
                    detail = f"（{'；'.join(row.changes)}）" if row.changes else ""
                    self.stdout.write(f"  {row.action} {row.kind} {row.key} {row.label}{detail}")
