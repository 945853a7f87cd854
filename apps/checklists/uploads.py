"""Checks an uploaded evidence file by its content (magic bytes, archive layout, image decode)."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

from apps.checklists.models import FileKind

ALLOWED_HINT = "PDF、图片(JPG/PNG/WebP)、Word、Excel、WPS 或 OFD"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Legacy Office and WPS files share the OLE2 container; its streams, not the header, say which program wrote
# it, so the declared extension decides among these (all are harmless documents to store).
OLE2_EXTENSIONS = {"doc": FileKind.WORD, "wps": FileKind.WORD, "xls": FileKind.EXCEL, "et": FileKind.EXCEL}
IMAGE_EXTENSIONS = {"jpg", "png", "webp"}


@dataclass(frozen=True)
class CheckedFile:
    """What the content check found: the kind, the extension to store it under, size and digest."""

    upload: UploadedFile
    kind: FileKind
    extension: str
    size: int
    sha256: str

    @property
    def original_name(self) -> str:
        """The name the user's computer gave the file, kept for display only."""
        return PurePosixPath(self.upload.name or "未命名").name[:255]


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Accept a file only if its bytes are an allowed document or image; raise a Chinese ValidationError."""
    name = PurePosixPath(upload.name or "").name
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"「{name}」是空文件，请重新选择。", code="empty")
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"「{name}」大小为 {filesizeformat(size)}，超过 {filesizeformat(limit)} 的上限。",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    kind, extension = _sniff(upload, head, declared=PurePosixPath(name).suffix.lower().lstrip("."))
    if kind is None:
        raise ValidationError(
            f"「{name}」的内容不是允许的文件类型（{ALLOWED_HINT}），已拒收。", code="bad_type"
        )
    return CheckedFile(upload=upload, kind=kind, extension=extension, size=size, sha256=_digest(upload))


def _sniff(upload: UploadedFile, head: bytes, *, declared: str) -> tuple[FileKind | None, str]:
    """Classify the content; the second value is the extension the stored copy gets."""
    if head.startswith(OLE2_MAGIC):
        kind = OLE2_EXTENSIONS.get(declared)
        return (kind, declared) if kind else (None, "")
    guess = filetype.guess(head)
    extension = guess.extension if guess else ""
    if extension == "pdf":
        return FileKind.PDF, "pdf"
    if extension in IMAGE_EXTENSIONS:
        return (FileKind.IMAGE, extension) if _decodes_as_image(upload) else (None, "")
    if head.startswith(b"PK\x03\x04"):
        return _classify_zip(upload)
    return None, ""


def _classify_zip(upload: UploadedFile) -> tuple[FileKind | None, str]:
    """OOXML (docx/xlsx, also written by WPS) and OFD are ZIP archives with a known entry."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None, ""
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return FileKind.WORD, "docx"
        if any(n.startswith("xl/") for n in names):
            return FileKind.EXCEL, "xlsx"
    if "OFD.xml" in names:
        return FileKind.OFD, "ofd"
    return None, ""


def _decodes_as_image(upload: UploadedFile) -> bool:
    """The header says image; make sure the whole file really is one."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            # verify() checks little beyond PNG chunks; decoding catches truncated JPEGs too. draft() lets the
            # JPEG decoder work at 1/8 scale, so a 12-megapixel photo costs about 0.5 MB to check.
            image.draft("RGB", (image.width // 8 or 1, image.height // 8 or 1))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def _digest(upload: UploadedFile) -> str:
    """SHA-256 of the file, read in chunks."""
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
