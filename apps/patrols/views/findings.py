"""巡查发现: the findings list with its filters, and one finding with its photos, place and patrol."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from apps.accounts.http import AuthenticatedRequest
from apps.core.pages import list_page
from apps.patrols.filters import FindingFilter
from apps.patrols.models import Finding, FindingPhoto, FindingPhotoKind
from apps.patrols.views.office import (
    FindingRow,
    amap_link,
    may_read_findings,
    may_read_reports,
    require_reader,
    visible_ticket_ids,
)
from apps.regions.models import Region

# Thumbnails shown per row; the rest are on the finding's page.
THUMBS = 3


# Each row carries photo thumbnails, so a page holds fewer of them.
FINDINGS_PER_PAGE = 20


@login_required
@require_GET
def finding_list(request: AuthenticatedRequest) -> HttpResponse:
    """Findings the user can see, newest first, filterable; htmx swaps only the results."""
    require_reader(may_read_findings(request.user))
    findings = (
        Finding.objects.visible_to(request.user)
        .select_related("grid", "point", "category__parent", "check_item", "worker", "ticket")
        .prefetch_related(
            Prefetch("photos", queryset=FindingPhoto.objects.order_by("kind", "uploaded_at", "pk"))
        )
    )
    filterset = FindingFilter(request.GET or None, queryset=findings, request=request)
    return list_page(
        request,
        template="patrols/finding_list.html",
        filterset=filterset,
        context={"may_read_reports": may_read_reports(request.user)},
        decorate=lambda findings: _rows(request, findings),
        per_page=FINDINGS_PER_PAGE,
    )


def _rows(request: AuthenticatedRequest, findings: list[Finding]) -> list[FindingRow]:
    """Ticket links the user may follow, and the first photos (already prefetched) as thumbnails."""
    visible = visible_ticket_ids(request.user, findings)
    rows = []
    for finding in findings:
        photos = tuple(finding.photos.all())
        rows.append(
            FindingRow(
                finding=finding,
                ticket_visible=finding.ticket_id in visible,
                thumbs=photos[:THUMBS],
                more_photos=max(len(photos) - THUMBS, 0),
            )
        )
    return rows


@login_required
@require_GET
def finding_detail(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    """One finding: photos before and after, position and accuracy, place, worker, patrol, item, ticket."""
    require_reader(may_read_findings(request.user))
    finding = get_object_or_404(
        Finding.objects.visible_to(request.user).select_related(
            "grid", "point", "category__parent", "worker", "ticket", "patrol", "check_item__template"
        ),
        uuid=uuid,
    )
    photos = list(finding.photos.order_by("uploaded_at", "pk"))
    has_position = finding.lat is not None and finding.lng is not None
    context = {
        "finding": finding,
        "ticket_visible": finding.ticket_id in visible_ticket_ids(request.user, [finding]),
        "photo_columns": [(kind.label, [p for p in photos if p.kind == kind]) for kind in FindingPhotoKind],
        "territory": Region.objects.ancestors_of(finding.grid).exclude(depth=1),
        "amap": amap_link(finding.lat, finding.lng, finding.category.name) if has_position else "",
        "may_read_reports": may_read_reports(request.user),
    }
    return TemplateResponse(request, "patrols/finding_detail.html", context)
