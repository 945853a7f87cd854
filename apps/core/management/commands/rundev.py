"""manage.py rundev: `make run`'s server — gunicorn, one process of threads, with the periodic jobs beside it.

Django's runserver listens with a backlog of 10, so a fleet of phones syncing at once gets connection resets.
gunicorn's gthread worker takes the burst into a real listen queue and serves it on a pool of threads. One
process, because SQLite takes one writer at a time (more processes would only queue on its lock) and the
in-process beat must run once. No autoreload: this serves the demo; developers may still use runserver.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from gunicorn.app.base import BaseApplication

from apps.core import beat

DEFAULT_ADDRPORT = "127.0.0.1:8000"
# host:port, [v6]:port or a bare port (as runserver takes them).
ADDRPORT = re.compile(r"^(?:(?P<host>\[[0-9a-fA-F:.]+\]|[\w.-]+):)?(?P<port>\d{1,5})$")
# Enough threads to overlap the requests that wait on the network or on SQLite's write lock; the GIL and the
# one writer make more of them buy nothing.
THREADS = 16
BACKLOG = 2048


class EmbeddedServer(BaseApplication):
    """gunicorn configured from a dict rather than its command line, serving chuangwei.wsgi."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from chuangwei.wsgi import application

        return application


def start_beat(worker: Any) -> None:
    """post_worker_init: the serving process (gunicorn's one worker) runs the schedule, once per life."""
    beat.start()
    worker.log.info("定时任务在进程内运行：超期督办扫描现在执行一次，之后每 15 分钟一次。")


def bind_of(addrport: str) -> tuple[str, str]:
    """The gunicorn bind address and the URL to print, from runserver's addrport syntax."""
    match = ADDRPORT.match(addrport.strip())
    if match is None or not 0 < int(match["port"]) < 65536:
        raise CommandError(f"地址 {addrport!r} 无效，应为 端口、主机:端口 或 [IPv6]:端口。")
    host = match["host"] or "127.0.0.1"
    bind = f"{host}:{match['port']}"
    return bind, f"http://{bind}/"


class Command(BaseCommand):
    help = "演示服务器（gunicorn 单进程多线程），进程内按 CELERY_BEAT_SCHEDULE 运行定时任务（超期督办等）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRPORT, help="监听地址（主机:端口）")
        parser.add_argument("--threads", type=int, default=THREADS, help=f"处理请求的线程数，默认 {THREADS}")

    def handle(self, *args: Any, **options: Any) -> None:
        bind, url = bind_of(options["addrport"])
        threads = options["threads"]
        if threads < 1:
            raise CommandError("--threads 至少为 1。")

        def announce(_arbiter: Any) -> None:
            self.stdout.write(
                self.style.SUCCESS(f"创卫系统已启动：{url}")
                + f"（gunicorn：1 个进程 × {threads} 个线程，监听队列 {BACKLOG}）。按 Ctrl-C 停止。"
            )
            self.stdout.flush()

        # The worker is forked from this process: no SQLite connection may cross the fork.
        connections.close_all()
        EmbeddedServer(
            {
                "bind": [bind],
                "workers": 1,
                "worker_class": "gthread",
                "threads": threads,
                "backlog": BACKLOG,
                # Phones sync several records in a row over one connection.
                "keepalive": 5,
                "graceful_timeout": 10,
                "accesslog": "-",
                "access_log_format": '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
                "errorlog": "-",
                "loglevel": "info",
                "proc_name": "chuangwei-rundev",
                # gunicorn's control socket sits at one path per user; a second server would fight for it.
                "control_socket_disable": True,
                "when_ready": announce,
                "post_worker_init": start_beat,
            }
        ).run()
