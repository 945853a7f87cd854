"""迎检档案 pages: a campaign's exports with the start button, a live progress partial, and the download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.checklists.binder import binder_filename
from apps.checklists.models import BinderExport, Campaign, ExportStatus
from apps.checklists.permissions import can_manage_campaign
from apps.checklists.querysets import sees_all_tasks
from apps.checklists.services import binder_request

TEMPLATE = "checklists/binders/campaign.html"


@login_required
@require_http_methods(["GET", "POST"])
def binder_campaign(request: AuthenticatedRequest, campaign_pk: int) -> HttpResponse:
    """A campaign's binder exports, newest first; the office starts a new one with POST."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=campaign_pk)
    if request.method == "POST":
        return _start(request, campaign)
    exports = (
        BinderExport.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
    )
    context = {
        "campaign": campaign,
        "exports": exports,
        "can_view": sees_all_tasks(request.user),
        "can_start": can_manage_campaign(request.user),
    }
    return TemplateResponse(request, TEMPLATE, context)


def _start(request: AuthenticatedRequest, campaign: Campaign) -> HttpResponse:
    """Request an export (PermissionDenied → 403 for anyone but the office) and go back to the list."""
    newest = BinderExport.objects.filter(campaign=campaign).aggregate(pk=Max("pk"))["pk"] or 0
    export = binder_request(campaign=campaign, actor=request.user)
    if export.pk > newest:
        messages.success(request, "已开始生成迎检档案，完成后可在下方下载。")
    else:
        messages.info(request, "已有一份迎检档案正在生成，请等它完成。")
    return redirect("binders:campaign", campaign_pk=campaign.pk)


@login_required
@require_GET
def binder_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The htmx partial for one export: a progress bar that polls itself until the export is finished."""
    export = get_object_or_404(BinderExport.objects.visible_to(request.user), pk=pk)
    return TemplateResponse(request, f"{TEMPLATE}#status", {"export": export})


@login_required
@require_GET
def binder_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The finished ZIP as an attachment named after the campaign and the day it was built."""
    exports = BinderExport.objects.visible_to(request.user).select_related("campaign")
    export = get_object_or_404(exports, pk=pk, status=ExportStatus.DONE)
    if not export.file:
        raise Http404("该档案没有文件。")
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404("档案文件已不存在，请重新生成。") from None
    return FileResponse(handle, as_attachment=True, filename=binder_filename(export))
