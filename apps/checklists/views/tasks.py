"""Task pages: the unit workbench (我的任务), a task with its evidence, uploads, progress notes and files."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.decorators import login_or_token_required
from apps.accounts.http import AuthenticatedRequest
from apps.checklists.forms import EvidenceUploadForm, FailForm, ProgressForm, TaskForm
from apps.checklists.models import Evidence, FileKind, Task, TaskStatus
from apps.checklists.permissions import can_manage_campaign, can_update_progress, can_upload_evidence
from apps.checklists.progress import Slot, progress_of, slot_label, task_rows
from apps.checklists.services import evidence_upload, task_mark_failed, task_set_progress, task_update
from apps.core.permissions import require

PER_PAGE = 30  # a few screens on a phone
DUE_DAYS = ("7", "30")
INLINE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _visible_task(request: AuthenticatedRequest, pk: int) -> Task:
    """The task if the user can see it, else 404."""
    tasks = Task.objects.visible_to(request.user).select_related("campaign", "item__category", "lead_unit")
    return get_object_or_404(tasks, pk=pk)


@login_required
def task_list(request: AuthenticatedRequest) -> HttpResponse:
    """我的任务: the tasks the user can see, soonest deadline first, with evidence progress."""
    tasks = Task.objects.visible_to(request.user).select_related("campaign", "item", "lead_unit")
    status = request.GET.get("status", "")
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    elif status == "open":
        tasks = tasks.open()
    today = timezone.localdate()
    # The home pages link here with these two narrowings; other values are ignored.
    due = request.GET.get("due", "")
    if due in DUE_DAYS:
        tasks = tasks.due_within(today, int(due))
    evidence = request.GET.get("evidence", "")
    if evidence == "returned":
        tasks = tasks.with_returned_evidence()
    page = Paginator(tasks.due_first(), PER_PAGE).get_page(request.GET.get("page"))
    rows = Page(task_rows(page.object_list), page.number, page.paginator)
    context = {
        "page": rows,
        "status": status,
        "statuses": TaskStatus.choices,
        "due": due if due in DUE_DAYS else "",
        "evidence": evidence if evidence == "returned" else "",
        "today": today,
        "unit_id": request.user.unit_id,
    }
    return TemplateResponse(request, "checklists/task_list.html", context)


def _slots(task: Task) -> list[dict[str, Any]]:
    """The task's requirement slots in order, each with its evidence newest first."""
    evidence = defaultdict(list)
    for item in task.evidence.select_related("uploaded_by", "reviewed_by").order_by("-uploaded_at"):
        evidence[(item.requirement_id, item.year)].append(item)
    slots = []
    for requirement in task.item.requirements.order_by("order"):
        years: list[int | None] = list(task.campaign.years) if requirement.per_year else [None]
        for year in years:
            found = evidence[(requirement.pk, year)]
            statuses = {e.status for e in found}
            state = next((s for s in ("approved", "pending", "returned") if s in statuses), "missing")
            slots.append(
                {
                    "requirement": requirement,
                    "year": year,
                    "label": slot_label(requirement, year),
                    "evidence": found,
                    "state": state,
                }
            )
    return slots


def _detail(
    request: AuthenticatedRequest,
    task: Task,
    *,
    upload_form: EvidenceUploadForm | None = None,
    refused: tuple[Slot, list[str], bool] | None = None,
) -> TemplateResponse:
    """The task page; after a refused upload, the reasons sit next to the slot (or the form) that was used."""
    can_upload = can_upload_evidence(request.user, task)
    slots = _slots(task)
    form_errors: list[str] = []
    if refused is not None:
        chosen, reasons, via_slot = refused
        slot = next((s for s in slots if (s["requirement"].pk, s["year"]) == chosen), None)
        if slot is not None and via_slot:
            slot["errors"] = reasons
        else:
            form_errors = reasons
    context = {
        "task": task,
        "slots": slots,
        "progress": progress_of([task])[task.pk],
        "supporting": task.supporting_units.order_by("name"),
        "can_upload": can_upload,
        "can_manage": can_manage_campaign(request.user),
        "upload_form": (upload_form or EvidenceUploadForm(task=task)) if can_upload else None,
        "upload_errors": form_errors,
        "progress_form": ProgressForm(initial={"note": task.progress_note}),
        "fail_form": FailForm(),
        "today": timezone.localdate(),
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
    }
    return TemplateResponse(request, "checklists/task_detail.html", context)


@login_required
def task_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One task: the item's text, each required slot with its files, reviews and own upload form."""
    return _detail(request, _visible_task(request, pk))


def _chosen_slot(data: Any) -> Slot:
    """The (requirement id, year) the upload was meant for, read from the raw form so a refusal keeps it."""
    requirement, year = data.get("requirement", ""), data.get("year", "")
    return (int(requirement) if requirement.isdigit() else 0, int(year) if year.isdigit() else None)


@login_required
@require_POST
def task_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Upload files for one slot; all are checked before any is kept, and a refusal says why at that slot."""
    task = _visible_task(request, pk)
    require(can_upload_evidence(request.user, task))
    form = EvidenceUploadForm(request.POST, request.FILES, task=task)
    reasons: list[str] = []
    if form.is_valid():
        try:
            data = form.cleaned_data
            stored = evidence_upload(
                task=task,
                requirement=data["requirement"],
                year=data["year"],
                files=data["uploads"],
                actor=request.user,
            )
        except ValidationError as exc:
            reasons = list(exc.messages)
        else:
            messages.success(request, f"已上传 {len(stored)} 个文件，等待创卫办审核。")
            return redirect("tasks:detail", pk=task.pk)
    else:
        reasons = [str(error) for errors in form.errors.values() for error in errors]
    refused = (_chosen_slot(request.POST), reasons, request.POST.get("via") == "slot")
    # Re-rendered, not redirected: the chosen slot and the reasons stay on screen (files are picked again).
    return _detail(request, task, upload_form=form, refused=refused)


@login_required
@require_POST
def task_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Save the lead unit's progress note."""
    task = _visible_task(request, pk)
    require(can_update_progress(request.user, task))
    form = ProgressForm(request.POST)
    if form.is_valid():
        task_set_progress(task=task, actor=request.user, note=form.cleaned_data["note"])
        messages.success(request, "进展说明已保存。")
    else:
        messages.error(request, "进展说明不能为空，且不超过2000字。")
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def task_fail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The office marks a task 未达标 with a reason."""
    task = _visible_task(request, pk)
    require(can_manage_campaign(request.user))
    form = FailForm(request.POST)
    if form.is_valid():
        task_mark_failed(task=task, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "已标记为未达标，责任单位重新上传后恢复推进。")
    else:
        messages.error(request, "请填写未达标原因（300字以内）。")
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Change a task's lead unit, supporting units, responsible person or deadline (office only)."""
    task = _visible_task(request, pk)
    require(can_manage_campaign(request.user))
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            task_update(task=Task.objects.get(pk=pk), actor=request.user, data=dict(form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "任务已保存。")
            return redirect("tasks:detail", pk=pk)
    context = {"campaign": task.campaign, "item": task.item, "form": form, "task": task}
    return TemplateResponse(request, "checklists/task_form.html", context)


@login_or_token_required
@require_GET
def evidence_file(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """Serve an evidence file to those who can see its task; PDFs and images open in the browser."""
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在。") from None
    inline = evidence.kind in {FileKind.PDF, FileKind.IMAGE} and evidence.extension in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=evidence.original_name,
        content_type=INLINE_TYPES.get(evidence.extension) if inline else "application/octet-stream",
    )
    # Only content-checked PDFs and images are shown inline (with nosniff from SecurityMiddleware);
    # everything else is downloaded, so no upload is ever rendered as a page of this site.
    return response
