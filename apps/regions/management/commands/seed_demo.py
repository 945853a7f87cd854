"""manage.py seed_demo: build the demo city 清河市 (apps/regions/services/demo.py) and list its logins."""

from __future__ import annotations

import random
import time
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count

from apps.accounts.models import User
from apps.regions import demo_city as demo
from apps.regions.models import GridAssignment, Level, Pairing, Point, Region, Unit
from apps.regions.services.demo import SEED, DemoCityBuilder


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _row(*cells: str, widths: tuple[int, ...] = (12, 12, 16)) -> str:
    """One line of the logins table, columns aligned by display width."""
    padded = [cell + " " * max(width - _width(cell), 0) for cell, width in zip(cells, widths, strict=False)]
    return "  " + "".join(padded) + "".join(cells[len(widths) :])


class Command(BaseCommand):
    """manage.py seed_demo: the demo city for development and demonstrations."""

    help = "生成演示数据：清河市的区域、责任单位、点位、演示账号、网格员和包保挂钩（已存在则不做任何修改）。"

    def add_arguments(self, parser: CommandParser) -> None:
        """--if-empty (the default behaviour, stated explicitly) and --force."""
        parser.add_argument("--if-empty", action="store_true", help="仅在演示城市不存在时生成（默认）。")
        parser.add_argument("--force", action="store_true", help="DEBUG 关闭时也写入演示数据。")

    def handle(self, *args: Any, **options: Any) -> None:
        """Refuse outside development, skip when seeded, else build everything in one transaction."""
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG 未开启，当前可能是生产环境：演示数据不会写入。确需写入请加 --force。")
        if Region.objects.filter(code=demo.CITY_CODE).exists():
            self.stdout.write(f"演示城市「{demo.CITY_NAME}」（编码 {demo.CITY_CODE}）已存在，未做任何修改。")
            return
        self._refuse_clashes()
        started = time.monotonic()
        builder = DemoCityBuilder(random.Random(SEED))
        with transaction.atomic():
            city = builder.build()
        self._report(builder, city, time.monotonic() - started)

    def _refuse_clashes(self) -> None:
        """Stop before writing when accounts or units the seed would create already exist."""
        unit_names = [name for name, *_ in (*demo.MUNICIPAL_UNITS, *demo.ENTERPRISE_UNITS)]
        users = User.objects.filter(username__in=demo.planned_usernames()).values_list("username", flat=True)
        clashes = [*users[:5], *Unit.objects.filter(name__in=unit_names).values_list("name", flat=True)[:5]]
        if clashes:
            names = "、".join(clashes)
            raise CommandError(
                f"库中没有演示城市，却已有同名账号或单位（{names} 等）；请在空库上运行 seed_demo。"
            )

    def _report(self, builder: DemoCityBuilder, city: Region, seconds: float) -> None:
        """Counts per level, units, points, users, then the demo logins."""
        regions = Region.objects.filter(path__startswith=city.path)
        levels = dict(regions.order_by().values_list("level").annotate(n=Count("id")))
        points = Point.objects.in_region(city)
        kinds = points.values("type").distinct().count()
        unstaffed = regions.grids().filter(assignments__isnull=True).count()
        pairings = Pairing.objects.filter(region__path__startswith=city.path).count()
        users = len(builder.logins) + builder.extra_users
        workers = GridAssignment.objects.filter(grid__path__startswith=city.path).values("worker").distinct()
        write = self.stdout.write
        write(self.style.SUCCESS(f"演示城市「{city.name}」已生成，用时 {seconds:.1f} 秒。"))
        write("  区域：" + " · ".join(f"{level.label} {levels.get(level.value, 0)}" for level in Level))
        write(f"  责任单位 {len(builder.units)} · 点位 {points.count()}（{kinds} 类）· 包保挂钩 {pairings}")
        write(f"  用户 {users}（网格员 {workers.count()}；{unstaffed} 个网格未配网格员）")
        write(f"演示账号（密码均为 {settings.DEMO_PASSWORD}）：")
        write(_row("用户名", "姓名", "角色", "范围"))
        for username, user in builder.logins.items():
            roles = "、".join(str(role.label) for role in user.roles)
            write(_row(username, user.real_name, roles, builder.login_scope[username]))
