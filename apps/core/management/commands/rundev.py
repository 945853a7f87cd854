"""manage.py rundev: the dev server with the periodic jobs (overdue watch, heartbeat) running beside it."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from apps.core import beat


class Command(RunserverCommand):
    help = "开发服务器，并在进程内按 CELERY_BEAT_SCHEDULE 运行定时任务（超期督办等；仅供本机演示）。"

    def inner_run(self, *args: Any, **options: Any) -> None:
        """Runs in the serving process (the autoreloader's child), so each reload starts one loop, not two."""
        beat.start()
        self.stdout.write("定时任务在进程内运行：超期督办扫描现在执行一次，之后每 15 分钟一次。")
        super().inner_run(*args, **options)
