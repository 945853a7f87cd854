"""Ticket forms: reporting a problem, one small form per action on the detail page, and bulk dispatch.

The forms only collect input; the services in apps/tickets/services/ check and write.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.core.forms import MultipleFileField, MultipleFileInput
from apps.core.numbers import remembered_about
from apps.regions.models import GridAssignment, Point, Region, Unit
from apps.tickets.models import ProblemCategory, RoutingRule, Supervision, Ticket, TicketSource

PHOTO_ATTRS = {"accept": "image/*", "capture": "environment"}
Choices = list[tuple[Any, Any]]


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; Django reads its ISO value (2026-11-25T17:30)."""

    input_type = "datetime-local"

    def format_value(self, value: Any) -> str | None:
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


def photo_field(label: str, *, required: bool, help_text: str = "") -> MultipleFileField:
    """Several photos at once; phones open the rear camera."""
    return MultipleFileField(
        label=label,
        required=required,
        help_text=help_text or "可多张；JPG、PNG 或 WebP，上传后自动压缩并去除位置信息。",
        widget=MultipleFileInput(attrs=PHOTO_ATTRS),
    )


def category_choices(*, leaves_only: bool, active_only: bool = False) -> Choices:
    """Categories grouped by 大类; for filtering, each group starts with the whole 大类. Remembered until a
    category changes: every ticket list and form shows them."""
    categories = ProblemCategory.objects.order_by("order", "code").only("pk", "parent_id", "name")
    if active_only:
        categories = categories.active()
    return remembered_about(
        ProblemCategory,
        f"choices:{leaves_only}:{active_only}",
        lambda: _grouped_categories(categories, leaves_only=leaves_only),
        now=timezone.now(),
    )


def _grouped_categories(categories: QuerySet[ProblemCategory], *, leaves_only: bool) -> Choices:
    parents, children = [], defaultdict(list)
    for category in categories:
        if category.parent_id is None:
            parents.append(category)
        else:
            children[category.parent_id].append(category)
    choices: Choices = []
    for parent in parents:
        group = [] if leaves_only else [(parent.pk, f"{parent.name}（全部）")]
        group += [(child.pk, child.name) for child in children[parent.pk]]
        if group:
            choices.append((parent.name, group))
    return choices


def reportable_regions(user: User) -> QuerySet[Region]:
    """The regions the user may report a problem in (see permissions.can_report_in), in tree order."""
    regions = Region.objects.order_by("path")
    if user.manages_everything or user.has_role(Role.INSPECTOR, Role.LEADER):
        return regions
    where = Q(pk__in=[])
    if user.has_role(Role.STREET, Role.COMMUNITY) and user.scope_region is not None:
        where |= Q(path__startswith=user.scope_region.path)
    if user.has_role(Role.GRID_WORKER):
        where |= Q(pk__in=GridAssignment.objects.filter(worker=user).values("grid_id"))
    return regions.filter(where)


def default_source(user: User) -> str:
    """Where a problem comes from, judged by who reports it."""
    if user.manages_everything:
        return TicketSource.OFFICE
    if user.has_role(Role.LEADER):
        return TicketSource.LEADER
    if user.has_role(Role.INSPECTOR):
        return TicketSource.INSPECTION
    return TicketSource.PATROL


POINTS_SHOWN = 20


def point_choices(user: User, region_id: Any, q: str = "", selected: Any = None) -> dict[str, Any]:
    """The report form's 点位 choices: the user's visible active points in a reportable region, by name.

    At most POINTS_SHOWN, with `more` saying the search should narrow; the selected point stays listed.
    """
    region = reportable_regions(user).filter(pk=region_id).first() if str(region_id or "").isdigit() else None
    if region is None:
        return {"region": None, "points": [], "more": False, "selected": None}
    points = (
        Point.objects.visible_to(user)
        .active()
        .filter(grid__path__startswith=region.path)
        .select_related("grid")
        .order_by("name", "pk")
    )
    found = list(
        points.filter(name__icontains=q.strip())[: POINTS_SHOWN + 1]
        if q.strip()
        else points[: POINTS_SHOWN + 1]
    )
    chosen = int(selected) if str(selected or "").isdigit() else None
    shown = found[:POINTS_SHOWN]
    if chosen and all(p.pk != chosen for p in shown):
        shown += list(points.filter(pk=chosen))
    return {"region": region, "points": shown, "more": len(found) > POINTS_SHOWN, "selected": chosen}


class RegionChoiceField(forms.ModelChoiceField):
    """Regions indented by their depth in the tree."""

    def label_from_instance(self, obj: Any) -> str:
        return "　" * (obj.depth - 1) + obj.name


class PointChoiceField(forms.ModelChoiceField):
    """Points with the grid they lie in."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.grid.name}）"


class TicketForm(forms.Form):
    """Report a problem: what, where (region, point, coordinates) and photos of it."""

    source = forms.ChoiceField(label="问题来源", choices=TicketSource.choices)
    category = forms.ModelChoiceField(label="问题类别", queryset=ProblemCategory.objects.none())
    title = forms.CharField(label="问题标题", max_length=100)
    description = forms.CharField(label="问题描述", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    region = RegionChoiceField(
        label="所在区域",
        queryset=Region.objects.none(),
        empty_label="请选择区域",
        help_text="请尽量选到网格。",
    )
    point = PointChoiceField(
        label="点位", queryset=Point.objects.none(), required=False, empty_label="不指定点位"
    )
    address = forms.CharField(label="位置描述", max_length=200, required=False)
    lat = forms.DecimalField(
        label="纬度", required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    lng = forms.DecimalField(
        label="经度", required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    photos = photo_field("整改前照片", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"source": default_source(user)})
        super().__init__(*args, **kwargs)
        if not user.sees_everything:
            # Grid workers and territory staff report what they find on patrol.
            del self.fields["source"]
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = ProblemCategory.objects.active().leaves()
        category.choices = [("", "请选择问题小类"), *category_choices(leaves_only=True, active_only=True)]
        regions = reportable_regions(user)
        region_field = cast(forms.ModelChoiceField, self.fields["region"])
        region_field.queryset = regions
        # Choosing a region reloads the point choices for it (templates/tickets/_point_options.html).
        region_field.widget.attrs.update(
            {
                "hx-get": reverse("tickets:point_options"),
                "hx-target": "#point-options",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
                "hx-include": "#id_point_q",
            }
        )
        only = list(regions[:2])
        if len(only) == 1 and not self.is_bound:
            self.initial.setdefault("region", only[0].pk)  # a grid worker with one grid need not choose
        points = Point.objects.visible_to(user).active().select_related("grid").order_by("grid__path", "name")
        cast(forms.ModelChoiceField, self.fields["point"]).queryset = points


class CommentForm(forms.Form):
    """立案, 恢复整改: an optional remark."""

    comment = forms.CharField(label="说明", required=False, max_length=500)


class EmptyForm(forms.Form):
    """签收: nothing to fill in."""


def _reason(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, max_length=300, help_text=help_text, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    """退回: why the ticket is not this unit's."""

    reason = _reason("退回理由", "说明为什么不属于本单位职责，退单计入本单位考核。")


class ShelveForm(forms.Form):
    """申请挂账: why it cannot be fixed now."""

    reason = _reason("挂账理由", "如需列入预算、受季节或工程影响等；批准后计时暂停。")


class VoidForm(forms.Form):
    """作废: why it is not a problem after all."""

    reason = _reason("作废理由", "如重复上报、误报。")


class DispatchForm(forms.Form):
    """派遣: the unit (preset to the routing suggestion) and, optionally, a deadline of one's own."""

    unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none())
    deadline = forms.DateTimeField(
        label="整改时限", required=False, widget=DateTimeInput(), help_text="留空则按问题类别的处置时限计算。"
    )
    comment = forms.CharField(label="派遣说明", required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.active().order_by("type", "name")
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class SubmitForm(forms.Form):
    """提交整改: what was done and at least one photo of the result."""

    comment = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    photos = photo_field("整改后照片", required=True)


class RecheckForm(forms.Form):
    """核查: pass (销号) or fail (返工, with the reason), with photos of what was found."""

    passed = forms.TypedChoiceField(
        label="核查结果",
        choices=[("1", "通过，销号"), ("0", "不通过，返工")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="核查意见",
        required=False,
        max_length=1000,
        help_text="不通过时必填：哪里没有整改到位。",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = photo_field("核查照片", required=False)


class ExtensionForm(forms.Form):
    """申请延期: the new deadline asked for and why."""

    until = forms.DateTimeField(label="延期至", widget=DateTimeInput())
    reason = forms.CharField(label="延期理由", max_length=300)


class DecisionForm(forms.Form):
    """审批延期/挂账: approve or refuse (refusing needs a reason)."""

    approve = forms.TypedChoiceField(
        label="审批结果",
        choices=[("1", "批准"), ("0", "不批准")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="审批意见",
        required=False,
        max_length=500,
        help_text="不批准时必填。",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SuperviseForm(forms.Form):
    """提级督办: a level above the current one."""

    level = forms.TypedChoiceField(label="督办级别", coerce=int, choices=[])
    comment = forms.CharField(label="督办意见", required=False, max_length=500)

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [(v, label) for v, label in Supervision.choices if v > ticket.supervision]
        cast(forms.ChoiceField, self.fields["level"]).choices = levels


# The form each action on the detail page posts (see apps/tickets/actions.py for the names).
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "file": CommentForm,
    "dispatch": DispatchForm,
    "accept": EmptyForm,
    "return": ReturnForm,
    "submit": SubmitForm,
    "recheck": RecheckForm,
    "extension": ExtensionForm,
    "extension-decision": DecisionForm,
    "shelve": ShelveForm,
    "shelve-decision": DecisionForm,
    "resume": CommentForm,
    "void": VoidForm,
    "supervise": SuperviseForm,
}


def action_form(
    name: str, ticket: Ticket, data: Any = None, files: Any = None, *, initial: dict[str, Any] | None = None
) -> forms.Form:
    """The (bound or unbound) form for one action on one ticket."""
    form_class = ACTION_FORMS[name]
    extra: dict[str, Any] = {"ticket": ticket} if form_class is SuperviseForm else {}
    # Distinct ids for the many forms on one page, plain field names for what is posted.
    return form_class(data, files, auto_id=f"id_{name}_%s", initial=initial, **extra)


class BulkDispatchForm(forms.Form):
    """Dispatch the selected tickets, each to its routing suggestion or all to one unit."""

    tickets = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": "请至少选择一件工单。"})
    unit = forms.ModelChoiceField(
        label="派遣至",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="各按派遣建议",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.active().order_by("type", "name").only("pk", "name", "is_active")
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        # Any id is accepted here; the view narrows to the tickets the user can see.
        chosen = self.data.getlist("tickets") if hasattr(self.data, "getlist") else []
        cast(forms.ChoiceField, self.fields["tickets"]).choices = [(v, v) for v in chosen]


class RoutingRuleForm(forms.ModelForm):
    """A routing rule: category (a 大类 covers its 小类) × region → unit."""

    region = RegionChoiceField(label="区域", queryset=Region.objects.none(), empty_label="请选择区域")

    class Meta:
        model = RoutingRule
        fields = ["category", "region", "unit", "note"]
        help_texts = {"region": "规则对该区域及其下级区域生效；下级区域的规则优先。"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = ProblemCategory.objects.active()
        category.choices = [("", "请选择问题类别"), *category_choices(leaves_only=False, active_only=True)]
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = Region.objects.order_by("path")
        units = Unit.objects.active().order_by("type", "name")
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
