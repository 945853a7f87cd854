"""API representations of campaigns, tasks and evidence, and the small inputs of their actions."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.checklists.models import Campaign, Category, Evidence, Requirement, Task
from apps.checklists.progress import TaskProgress
from apps.core.api.fields import IdField, StrictCharField
from apps.regions.models import Unit


class UnitRefSerializer(serializers.ModelSerializer):
    """A unit by id and name."""

    class Meta:
        model = Unit
        fields = ["id", "name"]


class CategoryRefSerializer(serializers.ModelSerializer):
    """A 大类 by id, code and name."""

    class Meta:
        model = Category
        fields = ["id", "code", "name"]


class RequirementSerializer(serializers.ModelSerializer):
    """A piece of evidence the item asks for; `per_year` ones need a year from the campaign's years."""

    class Meta:
        model = Requirement
        fields = ["id", "name", "description", "per_year"]


class CampaignSerializer(serializers.ModelSerializer):
    """A 创建/复审 cycle with its standard and dates."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    standard_name = serializers.CharField(source="standard.name", read_only=True)
    years = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "standard",
            "standard_name",
            "starts_on",
            "inspection_on",
            "years",
            "status",
            "status_display",
        ]


class TaskProgressSerializer(serializers.Serializer):
    """Evidence slots (requirement × year) of a task: required, approved, pending, and the gaps by name."""

    # The metaclass moves declared fields off the class: no shadowing of Field.required at run time.
    required = serializers.IntegerField()  # type: ignore[assignment]
    approved = serializers.IntegerField()
    pending = serializers.IntegerField()
    percent = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField())
    returned = serializers.ListField(child=serializers.CharField())


class TaskSerializer(serializers.ModelSerializer):
    """A task with its item, units, status and evidence progress.

    The view puts `today` and `progress` (task id → TaskProgress, computed in bulk for the page) in the
    context.
    """

    item_code = serializers.CharField(source="item.code", read_only=True)
    item_title = serializers.CharField(source="item.title", read_only=True)
    category = CategoryRefSerializer(source="item.category", read_only=True)
    campaign_years = serializers.ListField(
        source="campaign.years", child=serializers.IntegerField(), read_only=True
    )
    lead_unit = UnitRefSerializer(read_only=True)
    supporting_units = UnitRefSerializer(many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    requirements = RequirementSerializer(source="item.requirements", many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "campaign",
            "campaign_years",
            "item",
            "item_code",
            "item_title",
            "category",
            "lead_unit",
            "supporting_units",
            "responsible_person",
            "deadline",
            "status",
            "status_display",
            "is_overdue",
            "progress",
            "progress_note",
            "failure_reason",
            "requirements",
            "updated_at",
        ]

    def get_is_overdue(self, task: Task) -> bool:
        """Deadline passed and not done."""
        return task.is_overdue(self.context["today"])

    @extend_schema_field(TaskProgressSerializer)
    def get_progress(self, task: Task) -> dict[str, Any]:
        """The task's slot counts from the bulk computation the view made."""
        progress: TaskProgress = self.context["progress"][task.pk]
        return dict(TaskProgressSerializer(progress).data)


class EvidenceSerializer(serializers.ModelSerializer):
    """One uploaded file with its slot, review state and a link to download it."""

    requirement_name = serializers.CharField(source="requirement.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    uploaded_by_name = serializers.CharField(source="uploaded_by.display_name", read_only=True)
    reviewed_by_name = serializers.CharField(
        source="reviewed_by.display_name", read_only=True, default=None, allow_null=True
    )
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "task",
            "requirement",
            "requirement_name",
            "year",
            "original_name",
            "kind",
            "kind_display",
            "size",
            "status",
            "status_display",
            "review_comment",
            "uploaded_by_name",
            "uploaded_at",
            "reviewed_by_name",
            "reviewed_at",
            "file_url",
        ]

    def get_file_url(self, evidence: Evidence) -> str:
        """The page route that streams the file; it checks visibility again before sending it."""
        return reverse("tasks:evidence_file", args=[evidence.pk])


class EvidenceUploadSerializer(serializers.Serializer):
    """One requirement slot (and year where it is per year) and the files for it."""

    requirement = serializers.PrimaryKeyRelatedField(label="材料要求", queryset=Requirement.objects.all())
    year = serializers.IntegerField(
        label="年度", required=False, allow_null=True, default=None, min_value=2000, max_value=2099
    )
    # Empty files pass here so the content check rejects them with its own Chinese message.
    files = serializers.ListField(
        label="文件", child=serializers.FileField(allow_empty_file=True, use_url=False), allow_empty=False
    )


class ProgressNoteSerializer(serializers.Serializer):
    """The lead unit's 进展说明."""

    note = StrictCharField(label="进展说明", allow_blank=True, max_length=2000, trim_whitespace=True)


class ReviewCommentSerializer(serializers.Serializer):
    """The reviewer's comment; required when returning (the service says so in Chinese)."""

    comment = StrictCharField(label="审核意见", required=False, allow_blank=True, default="", max_length=500)


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", "通过"
    RETURN = "return", "退回"


class EvidenceBulkReviewSerializer(ReviewCommentSerializer):
    """The same decision for several pieces of evidence, all or none."""

    ids = serializers.ListField(label="材料ID", child=IdField(), allow_empty=False, max_length=500)
    decision = serializers.ChoiceField(label="审核结论", choices=ReviewDecision.choices)
