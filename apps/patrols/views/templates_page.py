"""巡查模板: every template with its items for those who read the reports; the office edits and adds items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.core.permissions import require
from apps.patrols.forms import CheckItemForm
from apps.patrols.models import CheckItem, CheckTemplate
from apps.patrols.services.templates import check_item_add, check_item_update
from apps.patrols.views.office import may_read_reports, require_reader


@login_required
@require_GET
def template_list(request: AuthenticatedRequest) -> HttpResponse:
    """The templates in order with their point types and items, switched-off ones included and marked."""
    require_reader(may_read_reports(request.user))
    items = CheckItem.objects.select_related("category__parent", "standard_item__standard").order_by(
        "order", "pk"
    )
    templates = CheckTemplate.objects.prefetch_related(Prefetch("items", queryset=items))
    context = {"templates": templates, "can_edit": request.user.manages_everything}
    return TemplateResponse(request, "patrols/templates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The office changes one check item."""
    require(request.user.manages_everything)
    item = get_object_or_404(CheckItem.objects.select_related("template"), pk=pk)
    initial = {
        "text": item.text,
        "problem": item.problem,
        "category": item.category_id,
        "standard_item": item.standard_item_id,
        "deduction": item.deduction,
        "is_active": item.is_active,
    }
    form = CheckItemForm(request.POST or None, initial=initial, current_category=item.category_id)
    if request.method == "POST" and form.is_valid():
        try:
            check_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"已保存检查项「{form.cleaned_data['text'].strip()}」。")
            return redirect(_back(item.template))
    context = {"form": form, "template": item.template, "item": item, "heading": "编辑检查项"}
    return TemplateResponse(request, "patrols/item_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The office adds a check item at the end of a template."""
    require(request.user.manages_everything)
    template = get_object_or_404(CheckTemplate, pk=pk)
    form = CheckItemForm(request.POST or None)
    del form.fields["is_active"]  # a new item starts switched on
    if request.method == "POST" and form.is_valid():
        try:
            item = check_item_add(actor=request.user, template=template, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"已在「{template.name}」中添加检查项「{item.text}」。")
            return redirect(_back(template))
    context = {"form": form, "template": template, "item": None, "heading": "添加检查项"}
    return TemplateResponse(request, "patrols/item_form.html", context)


def _show_errors(form: CheckItemForm, exc: ValidationError) -> None:
    """The service's errors on their fields where the form has them, else above the form."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for name, messages_ in errors.items():
        form.add_error(name if name in form.fields else None, messages_)


def _back(template: CheckTemplate) -> str:
    """The templates page, scrolled to the template."""
    return f"{reverse('patrols:templates')}#template-{template.code}"
