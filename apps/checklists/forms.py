"""Forms for assigning tasks, uploading evidence, progress notes and review decisions."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from apps.checklists.models import Campaign, Category, Requirement, Task
from apps.core.forms import DateInput, MultipleFileField
from apps.regions.models import Unit


def _active_units() -> Any:
    """Units that can take on tasks, by type then name."""
    return Unit.objects.filter(is_active=True).order_by("type", "name")


class TaskForm(forms.ModelForm):
    """Assign or change one task: lead unit, supporting units, responsible person and deadline."""

    class Meta:
        model = Task
        fields = ["lead_unit", "supporting_units", "responsible_person", "deadline"]
        widgets = {"deadline": DateInput(), "supporting_units": forms.SelectMultiple(attrs={"size": 8})}
        help_texts = {"supporting_units": "按住 Ctrl（Mac 为 ⌘）可多选。"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "supporting_units"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = _active_units()


class CategoryAssignForm(forms.Form):
    """Assign every unassigned item of one category to its default lead unit, with one deadline."""

    category = forms.ModelChoiceField(label="大类", queryset=Category.objects.none())
    deadline = forms.DateField(label="完成时限", widget=DateInput())

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["category"]
        ).queryset = campaign.standard.categories.order_by("order")


class EvidenceUploadForm(forms.Form):
    """Files for one requirement of a task (and a year where the requirement is yearly)."""

    requirement = forms.ModelChoiceField(label="材料要求", queryset=Requirement.objects.none())
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)
    uploads = MultipleFileField(label="文件")

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["requirement"]).queryset = task.item.requirements.order_by(
            "order"
        )
        years = [("", "不分年度")] + [(str(y), f"{y}年") for y in task.campaign.years]
        cast(forms.ChoiceField, self.fields["year"]).choices = years


class ProgressForm(forms.Form):
    note = forms.CharField(label="进展说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class FailForm(forms.Form):
    reason = forms.CharField(label="未达标原因", max_length=300)


class ReviewForm(forms.Form):
    """A decision on one or more pending pieces of evidence."""

    evidence = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": "请至少选择一份材料。"})
    decision = forms.ChoiceField(choices=[("approve", "通过"), ("return", "退回")])
    comment = forms.CharField(label="审核意见", required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the view narrows to what the reviewer can see.
        chosen = self.data.getlist("evidence") if hasattr(self.data, "getlist") else []
        cast(forms.ChoiceField, self.fields["evidence"]).choices = [(v, v) for v in chosen]
