"""API representations of tickets (list row, detail with photos, timeline and allowed actions) and the small
inputs of their steps."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from apps.core.api.fields import CoordinateField, MomentField, PhotoUrlField, StrictCharField
from apps.regions.models import Point, Region, Unit
from apps.tickets.actions import ACTIONS, allowed_actions
from apps.tickets.models import (
    ProblemCategory,
    Supervision,
    Ticket,
    TicketEvent,
    TicketPhoto,
    TicketSource,
    TicketStatus,
)
from apps.tickets.routing import route

# Free text of a step (comments, reasons); the model's reason columns hold 300 characters.
COMMENT_MAX = 1000
REASON_MAX = 300
DESCRIPTION_MAX = 2000


# --- output ---


class TicketUnitSerializer(serializers.ModelSerializer):
    """A unit by id and name."""

    class Meta:
        model = Unit
        fields = ["id", "name"]


class RegionRefSerializer(serializers.ModelSerializer):
    """A region by id, name and level."""

    class Meta:
        model = Region
        fields = ["id", "name", "level"]


class PointRefSerializer(serializers.ModelSerializer):
    """A point by id and name."""

    class Meta:
        model = Point
        fields = ["id", "name"]


class ProblemCategoryRefSerializer(serializers.ModelSerializer):
    """A 小类 by id, code and name, with the name of its 大类."""

    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ProblemCategory
        fields = ["id", "code", "name", "parent_name"]


class TicketRefSerializer(serializers.ModelSerializer):
    """A ticket by id and number."""

    class Meta:
        model = Ticket
        fields = ["id", "number"]


class TicketPhotoLinkSerializer(serializers.ModelSerializer):
    """A photo by id, with the permission-checked URLs of the photo and of its thumbnail."""

    url = PhotoUrlField("tickets:photo")
    thumb_url = PhotoUrlField("tickets:photo", thumb=True)

    class Meta:
        model = TicketPhoto
        fields = ["id", "url", "thumb_url"]


class TicketPhotoSerializer(TicketPhotoLinkSerializer):
    """A re-encoded photo: before (整改前), after (整改后) or taken at the re-check."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta(TicketPhotoLinkSerializer.Meta):
        fields = [
            *TicketPhotoLinkSerializer.Meta.fields,
            "kind",
            "kind_display",
            "taken_at",
            "width",
            "height",
            "uploaded_at",
            "event",
        ]


class TicketEventSerializer(serializers.ModelSerializer):
    """One step of the timeline; `actor_name` is null for steps the system took (escalation, recurrence)."""

    action_display = serializers.CharField(source="get_action_display", read_only=True)
    actor_name = serializers.CharField(
        source="actor.display_name", read_only=True, default=None, allow_null=True
    )
    from_status_display = serializers.CharField(source="get_from_status_display", read_only=True)
    to_status_display = serializers.CharField(source="get_to_status_display", read_only=True)
    unit = TicketUnitSerializer(read_only=True, allow_null=True)
    photos = TicketPhotoLinkSerializer(many=True, read_only=True)

    class Meta:
        model = TicketEvent
        fields = [
            "id",
            "action",
            "action_display",
            "actor_name",
            "at",
            "from_status",
            "from_status_display",
            "to_status",
            "to_status_display",
            "unit",
            "comment",
            "photos",
        ]


class TicketSerializer(serializers.ModelSerializer):
    """A ticket as a list row: what, where, who holds it, its state and deadline.

    The view puts `now` in the context so every row of a page is judged overdue against the same instant.
    """

    source_display = serializers.CharField(source="get_source_display", read_only=True)
    category = ProblemCategoryRefSerializer(read_only=True)
    region = RegionRefSerializer(read_only=True)
    point = PointRefSerializer(read_only=True, allow_null=True)
    responsible_unit = TicketUnitSerializer(read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    supervision_display = serializers.CharField(source="get_supervision_display", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "source",
            "source_display",
            "category",
            "title",
            "region",
            "point",
            "address",
            "responsible_unit",
            "status",
            "status_display",
            "supervision",
            "supervision_display",
            "deadline",
            "is_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_overdue(self, ticket: Ticket) -> bool:
        """Held by the unit past the deadline."""
        return ticket.is_overdue(self.context.get("now") or timezone.now())


class TicketDetailSerializer(TicketSerializer):
    """The whole ticket: description, people, step times, pending requests, photos, the timeline, the
    actions the caller may take now and, before dispatch, the unit the routing rules suggest."""

    reporter_name = serializers.CharField(
        source="reporter.display_name", read_only=True, default=None, allow_null=True
    )
    assignee_name = serializers.CharField(
        source="assignee.display_name", read_only=True, default=None, allow_null=True
    )
    recurrence_of = TicketRefSerializer(read_only=True, allow_null=True)
    photos = TicketPhotoSerializer(many=True, read_only=True)
    events = TicketEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    suggested_unit = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [
            *TicketSerializer.Meta.fields,
            "description",
            "lat",
            "lng",
            "reporter_name",
            "assignee_name",
            "dispatched_at",
            "accepted_at",
            "submitted_at",
            "closed_at",
            "closed_on_time",
            "paused_at",
            "extension_until",
            "extension_reason",
            "shelve_requested",
            "shelve_reason",
            "return_count",
            "rework_count",
            "recurrence_of",
            "photos",
            "events",
            "allowed_actions",
            "suggested_unit",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=[(a.name, a.label) for a in ACTIONS]))
    )
    def get_allowed_actions(self, ticket: Ticket) -> list[str]:
        """Names of the steps the caller may take now (each is `POST tickets/{id}/<name>/`)."""
        return [action.name for action in allowed_actions(self.context["request"].user, ticket)]

    @extend_schema_field(TicketUnitSerializer(allow_null=True))
    def get_suggested_unit(self, ticket: Ticket) -> dict[str, Any] | None:
        """Before dispatch (待立案, 待派遣): the unit the routing rules point to, if any."""
        if ticket.status not in (TicketStatus.REPORTED, TicketStatus.FILED):
            return None
        unit = route(ticket.category, ticket.region)
        return dict(TicketUnitSerializer(unit).data) if unit else None


# --- input ---


class RequiredBooleanField(serializers.BooleanField):
    """A yes/no that must be sent: a form field left out is not taken as `false` (as for a checkbox)."""

    default_empty_html = empty


def photos_field(label: str) -> serializers.ListField:
    """Photo uploads; empty or fake files pass here so the content check refuses them in Chinese."""
    return serializers.ListField(
        label=label,
        child=serializers.FileField(allow_empty_file=True, use_url=False),
        required=False,
        default=list,
    )


def comment_field(label: str = "说明") -> serializers.CharField:
    """Optional free text."""
    return StrictCharField(label=label, required=False, allow_blank=True, default="", max_length=COMMENT_MAX)


def reason_field(label: str) -> serializers.CharField:
    """A reason the step needs; a blank one is refused by the service, which says what is missing."""
    return StrictCharField(label=label, allow_blank=True, max_length=REASON_MAX)


class TicketCreateSerializer(serializers.Serializer):
    """A problem to report, with its before-photos (整改前); multipart when photos are sent."""

    # The metaclass moves declared fields off the class: no shadowing of Field.source at run time.
    source = serializers.ChoiceField(label="来源", choices=TicketSource.choices)  # type: ignore[assignment]
    category = serializers.PrimaryKeyRelatedField(label="问题小类", queryset=ProblemCategory.objects.all())
    title = StrictCharField(label="问题标题", max_length=100)
    description = StrictCharField(
        label="问题描述", required=False, allow_blank=True, default="", max_length=DESCRIPTION_MAX
    )
    region = serializers.PrimaryKeyRelatedField(label="所在区域", queryset=Region.objects.all())
    point = serializers.PrimaryKeyRelatedField(
        label="点位", queryset=Point.objects.all(), required=False, allow_null=True, default=None
    )
    address = StrictCharField(label="位置描述", required=False, allow_blank=True, default="", max_length=200)
    lat = CoordinateField(label="纬度", limit=90)
    lng = CoordinateField(label="经度", limit=180)
    photos = photos_field("整改前照片")


class CommentSerializer(serializers.Serializer):
    """An optional comment (立案, 恢复整改)."""

    comment = comment_field()


class DispatchSerializer(serializers.Serializer):
    """The unit to send the ticket to; without a deadline the category's time limit applies."""

    unit = serializers.PrimaryKeyRelatedField(label="责任单位", queryset=Unit.objects.all())
    deadline = MomentField(label="整改时限", required=False, allow_null=True, default=None)
    comment = comment_field("派遣说明")


class ReturnSerializer(serializers.Serializer):
    """Why the ticket is not the unit's to fix."""

    reason = reason_field("退回理由")


class SubmitSerializer(serializers.Serializer):
    """The fix, with at least one after-photo (整改后)."""

    comment = comment_field("整改情况")
    photos = photos_field("整改后照片")


class RecheckSerializer(serializers.Serializer):
    """The re-check: passed (销号) or not (返工, the comment says what is missing), with optional photos."""

    passed = RequiredBooleanField(label="核查通过")
    comment = comment_field("核查意见")
    photos = photos_field("核查照片")


class ExtensionSerializer(serializers.Serializer):
    """A later deadline the unit asks for, and why."""

    until = MomentField(label="申请延期至")
    reason = reason_field("延期理由")


class DecisionSerializer(serializers.Serializer):
    """The office's yes or no on a pending request; a no needs a comment."""

    approve = RequiredBooleanField(label="批准")
    comment = comment_field("审批意见")


class ShelveSerializer(serializers.Serializer):
    """Why the problem cannot be fixed for now (挂账)."""

    reason = reason_field("挂账理由")


class VoidSerializer(serializers.Serializer):
    """Why the ticket is void (duplicate, misreport)."""

    reason = reason_field("作废理由")


class SuperviseSerializer(serializers.Serializer):
    """The raised supervision level (督办 only goes up)."""

    level = serializers.ChoiceField(label="督办级别", choices=Supervision.choices)
    comment = comment_field("督办说明")
