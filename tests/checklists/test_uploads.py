"""The upload check judges a file by its bytes: real documents and images pass, whatever their name says."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from apps.checklists.models import FileKind
from apps.checklists.uploads import OLE2_MAGIC, check_upload
from tests.checklists.files import (
    docx_like_bytes,
    exe_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
)

BAD_TYPE = "不是允许的文件类型"


def zip_bytes(entries: dict[str, str]) -> bytes:
    """A ZIP archive with the given entries (name → text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return out.getvalue()


def webp_bytes() -> bytes:
    """A real WebP made by Pillow."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="WEBP")
    return out.getvalue()


def random_bytes(size: int = 4096) -> bytes:
    """Noise that starts with no known signature (seeded, so a failure can be replayed)."""
    return b"\x00\x01" + random.Random(20250101).randbytes(size)


def refusal(name: str, content: bytes) -> ValidationError:
    """The error check_upload raises for this file."""
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content))
    return caught.value


# Accepted files -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind", "extension"),
    [
        ("整改报告.pdf", pdf_bytes, FileKind.PDF, "pdf"),
        ("现场照片.png", png_bytes, FileKind.IMAGE, "png"),
        ("现场照片.jpg", jpeg_bytes, FileKind.IMAGE, "jpg"),
        ("现场照片.webp", webp_bytes, FileKind.IMAGE, "webp"),
        ("保洁台账.xlsx", xlsx_bytes, FileKind.EXCEL, "xlsx"),
        ("工作方案.docx", docx_like_bytes, FileKind.WORD, "docx"),
    ],
)
def test_real_document_or_image_is_accepted_with_its_kind_and_extension(
    name: str, make: Any, kind: FileKind, extension: str
) -> None:
    content = make()

    checked = check_upload(upload(name, content))

    assert checked.kind == kind
    assert checked.extension == extension
    assert checked.original_name == name


def test_accepted_file_reports_its_size_and_sha256() -> None:
    content = pdf_bytes("size and digest")

    checked = check_upload(upload("报告.pdf", content))

    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_accepted_file_is_rewound_so_it_can_be_stored_whole() -> None:
    content = xlsx_bytes()
    file = upload("台账.xlsx", content)

    check_upload(file)

    assert file.read() == content


def test_pdf_named_docx_is_accepted_as_pdf() -> None:
    checked = check_upload(upload("会议.docx", pdf_bytes()))

    assert checked.kind == FileKind.PDF
    assert checked.extension == "pdf"
    assert checked.original_name == "会议.docx"


def test_png_named_pdf_is_accepted_as_png() -> None:
    checked = check_upload(upload("扫描件.pdf", png_bytes()))

    assert (checked.kind, checked.extension) == (FileKind.IMAGE, "png")


def test_upper_case_extension_does_not_matter_for_a_real_pdf() -> None:
    checked = check_upload(upload("REPORT.PDF", pdf_bytes()))

    assert (checked.kind, checked.extension) == (FileKind.PDF, "pdf")


def test_ofd_package_is_accepted_as_ofd() -> None:
    content = zip_bytes({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<ofd:Document/>"})

    checked = check_upload(upload("红头文件.ofd", content))

    assert (checked.kind, checked.extension) == (FileKind.OFD, "ofd")


@pytest.mark.parametrize(
    ("name", "kind", "extension"),
    [
        ("会议纪要.doc", FileKind.WORD, "doc"),
        ("会议纪要.wps", FileKind.WORD, "wps"),
        ("经费表.xls", FileKind.EXCEL, "xls"),
        ("经费表.et", FileKind.EXCEL, "et"),
        ("会议纪要.DOC", FileKind.WORD, "doc"),
    ],
)
def test_ole2_file_takes_its_kind_from_a_declared_office_extension(
    name: str, kind: FileKind, extension: str
) -> None:
    checked = check_upload(upload(name, OLE2_MAGIC + b"\x00" * 2048))

    assert (checked.kind, checked.extension) == (kind, extension)


def test_file_exactly_at_the_size_limit_is_accepted(settings: Any) -> None:
    content = pdf_bytes()
    settings.EVIDENCE_MAX_BYTES = len(content)

    checked = check_upload(upload("报告.pdf", content))

    assert checked.size == settings.EVIDENCE_MAX_BYTES


# Refused files --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["整改报告.pdf", "现场照片.jpg", "程序.exe"])
def test_windows_executable_is_refused_whatever_its_name(name: str) -> None:
    error = refusal(name, exe_bytes())

    assert error.code == "bad_type"
    assert BAD_TYPE in error.messages[0]
    assert f"「{name}」" in error.messages[0]


def test_empty_file_is_refused_as_empty() -> None:
    error = refusal("空白.pdf", b"")

    assert error.code == "empty"
    assert error.messages == ["「空白.pdf」是空文件，请重新选择。"]


def test_file_over_the_size_limit_is_refused_with_both_sizes(settings: Any) -> None:
    content = pdf_bytes()
    settings.EVIDENCE_MAX_BYTES = len(content) - 1

    error = refusal("大文件.pdf", content)

    assert error.code == "too_large"
    message = error.messages[0]
    assert "「大文件.pdf」" in message
    assert "超过" in message
    assert "上限" in message


def test_size_limit_is_checked_before_the_content(settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 100

    error = refusal("程序.pdf", exe_bytes())

    assert error.code == "too_large"


def test_png_header_followed_by_garbage_is_refused() -> None:
    content = png_bytes()[:8] + random_bytes(512)

    error = refusal("照片.png", content)

    assert error.code == "bad_type"
    assert BAD_TYPE in error.messages[0]


def test_truncated_png_is_refused() -> None:
    content = png_bytes((400, 300))

    error = refusal("照片.png", content[: len(content) // 2])

    assert error.code == "bad_type"


def test_truncated_webp_is_refused() -> None:
    content = webp_bytes()

    error = refusal("照片.webp", content[: len(content) // 2])

    assert error.code == "bad_type"


def test_truncated_jpeg_that_does_not_decode_is_refused() -> None:
    content = jpeg_bytes((400, 300))
    truncated = content[: len(content) // 2]
    with pytest.raises(OSError, match="truncated"):
        Image.open(io.BytesIO(truncated)).load()

    error = refusal("照片.jpg", truncated)

    assert error.code == "bad_type"


def test_plain_zip_that_is_not_an_office_or_ofd_package_is_refused() -> None:
    error = refusal("材料.zip", zip_bytes({"readme.txt": "打包的材料"}))

    assert error.code == "bad_type"
    assert BAD_TYPE in error.messages[0]


def test_plain_zip_named_docx_is_refused() -> None:
    error = refusal("方案.docx", zip_bytes({"word/document.xml": "<w:document/>"}))

    assert error.code == "bad_type"


def test_ooxml_presentation_is_refused() -> None:
    content = zip_bytes({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation/>"})

    error = refusal("汇报.pptx", content)

    assert error.code == "bad_type"


def test_zip_signature_followed_by_garbage_is_refused() -> None:
    error = refusal("台账.xlsx", b"PK\x03\x04" + random_bytes(1024))

    assert error.code == "bad_type"


def test_random_bytes_are_refused() -> None:
    error = refusal("资料.pdf", random_bytes())

    assert error.code == "bad_type"
    assert BAD_TYPE in error.messages[0]


def test_plain_text_is_refused() -> None:
    error = refusal("说明.txt", "这是一段说明文字。".encode())

    assert error.code == "bad_type"


def test_gif_is_refused_though_it_is_an_image() -> None:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="GIF")

    error = refusal("动图.gif", out.getvalue())

    assert error.code == "bad_type"


@pytest.mark.parametrize("name", ["安装包.exe", "安装包.msi", "无扩展名"])
def test_ole2_file_without_an_office_extension_is_refused(name: str) -> None:
    error = refusal(name, OLE2_MAGIC + b"\x00" * 2048)

    assert error.code == "bad_type"
    assert BAD_TYPE in error.messages[0]
