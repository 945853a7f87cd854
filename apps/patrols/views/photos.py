"""Finding photos, served only to those who may see the finding (never from a public folder)."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from apps.accounts.decorators import login_or_token_required
from apps.accounts.http import AuthenticatedRequest
from apps.core.images import photo_response
from apps.patrols.models import Finding, FindingPhoto


@login_or_token_required
@require_GET
def finding_photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A finding photo (or `?size=thumb`) for those who can see the finding."""
    visible = Finding.objects.visible_to(request.user)
    photo = get_object_or_404(FindingPhoto.objects.filter(finding__in=visible), pk=pk)
    return photo_response(photo.image, size=request.GET.get("size"))
