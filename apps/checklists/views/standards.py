"""Standard pages: list, detail (大类 → 条款 → 佐证材料), Excel export, and Excel import with a preview.

The import is two posts: the upload shows the plan and keeps the file under MEDIA_ROOT in a per-user folder
with a random name; the confirm re-reads that file, plans again against the current database and applies.
"""

from __future__ import annotations

import re
import secrets
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import User
from apps.checklists.models import Requirement, Standard
from apps.checklists.permissions import can_manage_campaign
from apps.checklists.services import standard_apply
from apps.checklists.standards import Problem, StandardPlan, read_workbook, standard_plan, standard_workbook
from apps.core.htmx import wants_fragment
from apps.core.permissions import require
from apps.core.sync import IMPORTED

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WORKBOOK_MB = 5
UPLOAD_DIR = "imports/standards"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
GONE = "上传的文件已失效（可能已经导入过，或不是您上传的），请重新上传。"


class WorkbookForm(forms.Form):
    """The upload: one .xlsx in the export layout."""

    file = forms.FileField(
        label="标准工作簿",
        help_text=(
            "Excel .xlsx，含「条款」和「佐证材料」两个工作表（可先导出一个标准作模板），"
            f"不超过 {MAX_WORKBOOK_MB} MB。"
        ),
    )

    def clean_file(self) -> object:
        """Refuse big files before reading them."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WORKBOOK_MB * 1024 * 1024:
            raise ValidationError(f"文件超过 {MAX_WORKBOOK_MB} MB，这不像是一个标准工作簿。")
        return upload


@login_required
def standard_list(request: AuthenticatedRequest) -> HttpResponse:
    """The standards the user can see, with their size."""
    standards = Standard.objects.visible_to(request.user).annotate(
        category_count=Count("categories", distinct=True),
        item_count=Count("items", distinct=True),
        veto_count=Count("items", filter=Q(items__is_veto=True), distinct=True),
    )
    context = {"standards": standards, "can_import": can_manage_campaign(request.user)}
    return TemplateResponse(request, "checklists/standards/list.html", context)


@login_required
def standard_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One standard by category: items with their badges, default lead type and required evidence."""
    standard = get_object_or_404(Standard.objects.visible_to(request.user), pk=pk)
    categories = list(standard.categories.order_by("order", "code"))
    chosen = request.GET.get("category", "")
    chosen = chosen if chosen in {c.code for c in categories} else ""
    shown = [c for c in categories if c.code == chosen] if chosen else categories
    items = (
        standard.items.filter(category__in=shown)
        .select_related("category")
        .prefetch_related(Prefetch("requirements", queryset=Requirement.objects.order_by("order", "name")))
        .order_by("order", "code")
    )
    by_category: dict[int, list] = {c.pk: [] for c in shown}
    for item in items:
        by_category[item.category_id].append(item)
    context = {
        "standard": standard,
        "categories": categories,
        "chosen": chosen,
        "blocks": [(c, by_category[c.pk]) for c in shown],
        "totals": standard.items.aggregate(
            items=Count("pk"),
            abridged=Count("pk", filter=Q(text_verified=False)),
            veto=Count("pk", filter=Q(is_veto=True)),
        ),
        "can_import": can_manage_campaign(request.user),
    }
    template = "checklists/standards/detail.html"
    if wants_fragment(request):
        template += "#items"
    return TemplateResponse(request, template, context)


@login_required
def standard_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The standard as an .xlsx in the import layout."""
    standard = get_object_or_404(Standard.objects.visible_to(request.user), pk=pk)
    response = HttpResponse(standard_workbook(standard), content_type=XLSX)
    filename = f"{standard.name}（{standard.code}）.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    return response


@login_required
@require_http_methods(["GET", "POST"])
def standard_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a workbook and see what it would change (office only); the confirm post applies it."""
    require(can_manage_campaign(request.user))
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, request.POST["token"])
    form = WorkbookForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        plan = standard_plan(read_workbook(content))
        token = _keep(request.user, content) if plan.is_valid and plan.has_changes else ""
        return _preview(request, plan, token=token, filename=upload.name)
    return TemplateResponse(request, "checklists/standards/import.html", {"form": form})


def _confirm(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """Apply the kept file after planning it again; a problem shows the preview and writes nothing."""
    content = _take(request.user, token)
    if content is None:
        context = {"form": WorkbookForm(), "error": GONE}
        return TemplateResponse(request, "checklists/standards/import.html", context, status=400)
    plan = standard_plan(read_workbook(content))
    try:
        done = standard_apply(plan=plan, actor=request.user)
    except ValidationError as exc:
        plan.errors += [Problem(m) for m in exc.messages if m not in {str(p) for p in plan.errors}]
        return _preview(request, plan, token="", filename=request.POST.get("filename", ""))
    finally:
        _discard(request.user, token)
    standard = cast(Standard, done.standard)  # a carried-out plan always has its standard
    messages.success(request, f"已导入「{standard.name}」：{done.summary()}。")
    return redirect("standards:detail", pk=standard.pk)


def _preview(request: AuthenticatedRequest, plan: StandardPlan, *, token: str, filename: str) -> HttpResponse:
    """The plan: counts per kind and action, every problem, and the rows grouped by action."""
    context = {"plan": plan, "token": token, "filename": filename, "actions": [a.value for a in IMPORTED]}
    return TemplateResponse(request, "checklists/standards/preview.html", context)


def _folder(user: User) -> str:
    """Each user's kept uploads live in their own folder, so a token only works for its uploader."""
    return f"{UPLOAD_DIR}/{user.pk}"


def _keep(user: User, content: bytes) -> str:
    """Store the upload under a random name (dropping the user's older ones) and return the token."""
    folder = _folder(user)
    if default_storage.exists(folder):
        for name in default_storage.listdir(folder)[1]:
            default_storage.delete(f"{folder}/{name}")
    token = secrets.token_urlsafe(24)
    default_storage.save(f"{folder}/{token}.xlsx", ContentFile(content))
    return token


def _take(user: User, token: str) -> bytes | None:
    """The kept upload for this user and token, or None when it is gone or was never theirs."""
    name = f"{_folder(user)}/{token}.xlsx"
    if not TOKEN.match(token) or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as kept:
        data: bytes = kept.read()
        return data


def _discard(user: User, token: str) -> None:
    """Remove a kept upload once it has been used."""
    if TOKEN.match(token):
        default_storage.delete(f"{_folder(user)}/{token}.xlsx")
