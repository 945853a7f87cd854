"""派遣规则 (routing rules) for the office: which unit a category's tickets in a region are suggested to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.http import AuthenticatedRequest
from apps.core.paging import QuickPaginator
from apps.core.permissions import require
from apps.tickets.forms import RoutingRuleForm
from apps.tickets.models import RoutingRule
from apps.tickets.permissions import is_office

PER_PAGE = 100


@login_required
@require_http_methods(["GET", "POST"])
def rule_list(request: AuthenticatedRequest) -> HttpResponse:
    """The rules by category and region, with a form to add one (office only)."""
    require(is_office(request.user))
    form = RoutingRuleForm(request.POST or None, auto_id="rule_%s")
    if request.method == "POST" and form.is_valid():
        # One row with its own unique constraint, checked by the form: no service needed.
        rule = form.save()
        messages.success(request, f"已添加派遣规则：{rule}。")
        return redirect("tickets:rules")
    rules = RoutingRule.objects.select_related("category__parent", "region", "unit").order_by(
        "category__code", "region__path"
    )
    page = QuickPaginator(rules, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": ""}
    return TemplateResponse(request, "tickets/rules.html", context)


@login_required
@require_POST
def rule_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Remove a rule (office only); tickets already dispatched keep their unit."""
    require(is_office(request.user))
    rule = get_object_or_404(RoutingRule.objects.select_related("category__parent", "region", "unit"), pk=pk)
    text = str(rule)
    rule.delete()
    messages.success(request, f"已删除派遣规则：{text}。")
    return redirect("tickets:rules")
