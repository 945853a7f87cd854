"""Calendar days that differ from the plain Monday–Friday week: 放假 and 调休上班."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel

WEEKDAYS = "一二三四五六日"


class DayKind(models.TextChoices):
    """Whether a listed day is off or, on a weekend, worked."""

    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class DeadlineUnit(models.TextChoices):
    """How a deadline is counted (see apps.calendars.worktime.deadline_after)."""

    WORK_HOUR = "work_hour", "工作时"
    WORK_DAY = "work_day", "工作日"
    DAY = "day", "自然日"
    # Round the clock, nights and holidays included: hazards such as an open manhole in the roadway.
    HOUR = "hour", "小时"


class CalendarDayQuerySet(models.QuerySet["CalendarDay"]):
    """Reads over the calendar table."""

    def in_year(self, year: int) -> CalendarDayQuerySet:
        """Days of one calendar year."""
        return self.filter(date__year=year)

    def holidays(self) -> CalendarDayQuerySet:
        """放假 days."""
        return self.filter(kind=DayKind.HOLIDAY)

    def workdays(self) -> CalendarDayQuerySet:
        """调休上班 days."""
        return self.filter(kind=DayKind.WORKDAY)


class CalendarDay(TimeStampedModel):
    """A day off (放假) or a weekend day worked (调休上班); every other day follows the Monday–Friday week."""

    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("节日", max_length=20, help_text="如 春节、国庆节；调休上班日填它所补的节日。")
    provisional = models.BooleanField(
        "暂定",
        default=False,
        help_text="国务院办公厅当年的放假调休安排发布前，只按法定节日预置；发布后核对、补齐调休上班日并取消勾选。",
    )
    note = models.CharField("备注", max_length=200, blank=True, help_text="如发文字号。")

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = verbose_name
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                name="calendarday_unique_date",
                violation_error_message="这一天已有记录，请修改那一条。",
            ),
            models.CheckConstraint(condition=Q(kind__in=DayKind.values), name="calendarday_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"

    @property
    def weekday(self) -> str:
        """星期一 … 星期日."""
        return f"星期{WEEKDAYS[self.date.weekday()]}"

    def clean(self) -> None:
        """调休上班 only makes sense on a Saturday or Sunday; weekdays are worked anyway."""
        if self.kind == DayKind.WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError({"kind": "调休上班只能设在周六或周日；周一至周五本来就上班。"})
