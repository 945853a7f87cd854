"""Give the demo city its 创建 campaign on the 2021 standard, with two categories already split into tasks
whose deadlines are spread around today and whose evidence is in every review state."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from apps.accounts.models import User
from apps.checklists.models import Campaign, CampaignKind, Standard
from apps.checklists.services import campaign_create, standards_load_shipped, tasks_assign_category
from apps.checklists.services.demo import build_demo_evidence

CAMPAIGN_NAME = "清河市2025—2027年创建国家卫生城市"
STARTS_ON = date(2025, 1, 1)
INSPECTION_ON = date(2027, 5, 20)
# 组织管理 and 市容环境卫生 are split into tasks (their deadlines are then spread around today by
# build_demo_evidence); the other five categories are left for the office to assign in the demo.
PRE_ASSIGNED = ("C1", "C3")


class Command(BaseCommand):
    help = "为演示城市生成创建周期（2021版标准），并按默认牵头单位分解两个大类的任务。"

    def add_arguments(self, parser: CommandParser) -> None:
        """--force writes even with DEBUG off, like seed_demo."""
        parser.add_argument("--force", action="store_true", help="DEBUG 关闭时也写入演示数据。")

    def handle(self, *args: Any, **options: Any) -> None:
        """Load the shipped standards, then create the campaign once; a second run changes nothing."""
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG 未开启，当前可能是生产环境：演示数据不会写入。确需写入请加 --force。")
        office = User.objects.filter(username="office").first()
        if office is None:
            raise CommandError("找不到演示账号 office：请先运行 seed_demo 生成演示城市。")
        for plan in standards_load_shipped():
            self.stdout.write(f"标准 {plan.data.code if plan.data else ''}：{plan.summary()}")
        if Campaign.objects.filter(name=CAMPAIGN_NAME).exists():
            self.stdout.write(f"创建周期「{CAMPAIGN_NAME}」已存在，未做任何修改。")
            return
        with transaction.atomic():
            self._create(office)

    def _create(self, office: User) -> None:
        """The campaign and its pre-assigned categories."""
        campaign = campaign_create(
            actor=office,
            name=CAMPAIGN_NAME,
            kind=CampaignKind.CREATE,
            standard=Standard.objects.get(code="NHC2021"),
            starts_on=STARTS_ON,
            inspection_on=INSPECTION_ON,
        )
        self.stdout.write(self.style.SUCCESS(f"创建周期「{campaign}」已生成，迎检日期 {INSPECTION_ON}。"))
        for code in PRE_ASSIGNED:
            category = campaign.standard.categories.get(code=code)
            result = tasks_assign_category(
                campaign=campaign, category=category, deadline=INSPECTION_ON, actor=office
            )
            self.stdout.write(
                f"  {category}：分解 {len(result.created)} 条，另 {len(result.skipped)} 条待单独分配"
            )
        stored = build_demo_evidence(campaign=campaign, office=office)
        self.stdout.write(f"  佐证材料 {stored} 份（已通过、待审核、已退回各有），任务时限分布在今天前后")
