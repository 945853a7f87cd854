"""Admin for the working calendar: the office corrects days and adds each year's 放假调休 schedule here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.calendars.models import CalendarDay


class YearFilter(admin.SimpleListFilter):
    """Filter by calendar year, listing the years the table holds."""

    title = "年份"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(day.year), f"{day.year}年") for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> QuerySet[CalendarDay]:
        value = self.value()
        return queryset.filter(date__year=int(value)) if value and value.isdigit() else queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """放假 and 调休上班 days; every other day follows the Monday–Friday week."""

    list_display = ["date", "weekday", "kind", "name", "provisional", "note"]
    list_filter = [YearFilter, "kind", "provisional"]
    search_fields = ["name", "note"]
    fields = ["date", "kind", "name", "provisional", "note"]

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return obj.weekday
