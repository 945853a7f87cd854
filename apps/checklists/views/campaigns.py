"""Campaign pages: the list, the standard tree with lights, task assignment and the readiness view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.http import AuthenticatedRequest
from apps.checklists.forms import CategoryAssignForm, TaskForm
from apps.checklists.models import Campaign, Item, Task, TaskStatus
from apps.checklists.permissions import can_manage_campaign
from apps.checklists.querysets import sees_all_tasks
from apps.checklists.selectors import (
    RISK_RULE,
    Light,
    campaign_readiness,
    campaign_tree,
    count_lights,
    filter_rows,
)
from apps.checklists.services import task_assign, tasks_assign_category
from apps.core.htmx import wants_fragment
from apps.core.permissions import require
from apps.regions.models import Unit


def _int(value: str | None) -> int | None:
    """A query-string id, or None when absent or not a number."""
    return int(value) if value and value.isdigit() else None


@login_required
def campaign_list(request: AuthenticatedRequest) -> HttpResponse:
    """Campaigns the user can see, newest 迎检 first."""
    campaigns = Campaign.objects.visible_to(request.user).select_related("standard")
    return TemplateResponse(request, "checklists/campaign_list.html", {"campaigns": campaigns})


@login_required
def campaign_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The campaign's standard tree: per item the tasks, evidence completeness and a light; filterable."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("standard"), pk=pk)
    today = timezone.localdate()
    blocks = campaign_tree(campaign, request.user, today=today)
    category, unit = _int(request.GET.get("category")), _int(request.GET.get("unit"))
    status = request.GET.get("status", "") if request.GET.get("status") in TaskStatus.values else ""
    light = request.GET.get("light", "") if request.GET.get("light") in Light.values else ""
    shown = filter_rows(blocks, category=category, unit=unit, status=status, light=light)
    chosen = {"category": category, "unit": unit, "status": status, "light": light}
    context = {
        "campaign": campaign,
        "blocks": shown,
        "lights": count_lights(blocks),
        "chosen": chosen,
        "categories": campaign.standard.categories.order_by("order"),
        "units": Unit.objects.visible_to(request.user).filter(is_active=True).order_by("type", "name"),
        "statuses": TaskStatus.choices,
        "light_choices": Light.choices,
        "can_manage": can_manage_campaign(request.user),
        "sees_binders": sees_all_tasks(request.user),
        "bulk_form": CategoryAssignForm(campaign=campaign, initial={"deadline": campaign.inspection_on}),
        "today": today,
    }
    template = "checklists/campaign_detail.html"
    if wants_fragment(request):
        template += "#tree"
    return TemplateResponse(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    """Assign one item of the campaign's standard to a lead unit (office only)."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    item = get_object_or_404(Item.objects.filter(standard=campaign.standard), pk=item_pk)
    require(can_manage_campaign(request.user))
    form = TaskForm(request.POST or None, initial={"deadline": campaign.inspection_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = task_assign(campaign=campaign, item=item, actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已将 {item.code} 分配给 {task.lead_unit}。")
            return redirect("campaigns:detail", pk=campaign.pk)
    existing = Task.objects.filter(campaign=campaign, item=item).select_related("lead_unit")
    context = {"campaign": campaign, "item": item, "form": form, "existing": existing}
    return TemplateResponse(request, "checklists/task_form.html", context)


@login_required
@require_POST
def category_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Assign every unassigned item of a category to its default lead unit type in one action."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    require(can_manage_campaign(request.user))
    form = CategoryAssignForm(request.POST, campaign=campaign)
    if not form.is_valid():
        messages.error(request, "请选择大类并填写完成时限。")
        return redirect("campaigns:detail", pk=campaign.pk)
    try:
        result = tasks_assign_category(campaign=campaign, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已按默认牵头单位分配 {len(result.created)} 条。")
        for item, reason in result.skipped:
            if reason != "已有任务":
                messages.warning(request, f"{item.code} {item.title}：{reason}")
    detail = reverse("campaigns:detail", args=[campaign.pk])
    return redirect(f"{detail}?category={form.cleaned_data['category'].pk}")


@login_required
def readiness(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """迎检准备度: items at risk with their reasons, and counts per category and per unit."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("standard"), pk=pk)
    today = timezone.localdate()
    context = {
        "campaign": campaign,
        "readiness": campaign_readiness(campaign, request.user, today=today),
        "days_left": campaign.days_to_inspection(today),
        "risk_rule": RISK_RULE,
    }
    return TemplateResponse(request, "checklists/readiness.html", context)
