"""The 创卫办 review queue: pending evidence, oldest first, approved or returned one by one or in bulk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedRequest
from apps.checklists.choices import EvidenceStatus
from apps.checklists.forms import ReviewForm
from apps.checklists.models import Campaign, Evidence
from apps.checklists.permissions import can_manage_campaign
from apps.checklists.services import evidence_review_many
from apps.core.permissions import require
from apps.regions.models import Unit

PER_PAGE = 30  # a few screens on a phone


@login_required
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    """Evidence waiting for review, oldest first, filterable by campaign and unit (office only)."""
    require(can_manage_campaign(request.user))
    pending = (
        Evidence.objects.visible_to(request.user)
        .pending()
        .select_related("task__item", "task__lead_unit", "task__campaign", "requirement", "uploaded_by")
        .order_by("uploaded_at", "pk")
    )
    campaign = request.GET.get("campaign", "")
    unit = request.GET.get("unit", "")
    if campaign.isdigit():
        pending = pending.filter(task__campaign_id=int(campaign))
    if unit.isdigit():
        pending = pending.filter(task__lead_unit_id=int(unit))
    page = Paginator(pending, PER_PAGE).get_page(request.GET.get("page"))
    waiting_units = Unit.objects.filter(lead_tasks__evidence__status=EvidenceStatus.PENDING)
    context = {
        "page": page,
        "campaigns": Campaign.objects.visible_to(request.user),
        "units": waiting_units.distinct().order_by("name"),
        "chosen": {"campaign": campaign, "unit": unit},
    }
    return TemplateResponse(request, "checklists/review_queue.html", context)


@login_required
@require_POST
def review_decide(request: AuthenticatedRequest) -> HttpResponse:
    """Apply one decision to the selected evidence; all of it changes, or none."""
    require(can_manage_campaign(request.user))
    form = ReviewForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if not form.is_valid():
        messages.error(request, "请至少选择一份材料，并选择通过或退回。")
        return redirect(back or "review:queue")
    chosen = list(Evidence.objects.visible_to(request.user).filter(pk__in=form.cleaned_data["evidence"]))
    approve = form.cleaned_data["decision"] == "approve"
    try:
        evidence_review_many(
            evidence=chosen, actor=request.user, approve=approve, comment=form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已{'通过' if approve else '退回'} {len(chosen)} 份材料。")
    return redirect(back or "review:queue")
