"""Forms of the office's patrol pages: the coverage page's week and region, and a check item."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from apps.checklists.models import Item
from apps.patrols.selectors import iso_week_label, week_start_of
from apps.regions.models import Region
from apps.tickets.models import ProblemCategory

ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")


class WeekInput(forms.TextInput):
    """The browser's week picker; browsers without one show a text box taking 2026-W48 or a date."""

    input_type = "week"


class IsoWeekField(forms.CharField):
    """An ISO week as 2026-W48 (what the week picker sends) or any date in it; cleaned to its Monday."""

    widget = WeekInput

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        match = ISO_WEEK.match(text.upper())
        try:
            if match:
                return date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return week_start_of(date.fromisoformat(text))
        except ValueError:
            raise forms.ValidationError(
                "请选择一周，格式如 2026-W48，或填写该周内的一天如 2026-11-25。"
            ) from None

    def prepare_value(self, value: Any) -> Any:
        return iso_week_label(value) if isinstance(value, date) else value


class CoverageForm(forms.Form):
    """Which week, and optionally which part of the user's territory."""

    week = IsoWeekField(label="周", required=False)
    region = forms.ModelChoiceField(
        label="区域",
        queryset=Region.objects.none(),
        required=False,
        empty_label="全部",
        error_messages={"invalid_choice": "所选区域不存在或不在您的辖区内。"},
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]


class CategoryChoiceField(forms.ModelChoiceField):
    """A 小类 shown as 大类 / 小类."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class StandardItemChoiceField(forms.ModelChoiceField):
    """A standard item shown with its standard: NHC2021 1.1 …"""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.standard.code} {obj.code} {obj.title}"


class CheckItemForm(forms.Form):
    """One check item's text, problem wording, category, standard item, deduction and whether it is on."""

    text = forms.CharField(
        label="检查内容", max_length=255, help_text="合格时应当看到的样子，如：无暴露垃圾。"
    )
    problem = forms.CharField(
        label="问题表述", max_length=100, help_text="发现问题时工单上的说法，如：存在暴露垃圾、卫生死角。"
    )
    category = CategoryChoiceField(
        label="问题类别",
        queryset=ProblemCategory.objects.none(),
        help_text="巡查发现按此小类上报；只能选启用中的小类。",
        error_messages={"invalid_choice": "请选择一个启用中的问题小类（不能选大类或已停用的类别）。"},
    )
    standard_item = StandardItemChoiceField(
        label="对应标准条款",
        queryset=Item.objects.select_related("standard").order_by("standard__code", "order"),
        required=False,
        empty_label="（不对应）",
    )
    deduction = forms.CharField(label="扣分参考", max_length=64, required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, current_category: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An item may keep a category that has since been switched off; no one may newly choose one.
        allowed = Q(is_active=True, parent__isnull=False)
        if current_category is not None:
            allowed |= Q(pk=current_category)
        self.fields["category"].queryset = (  # type: ignore[attr-defined]
            ProblemCategory.objects.filter(allowed)
            .select_related("parent")
            .order_by("parent__order", "parent__code", "order", "code")
        )
