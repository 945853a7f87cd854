"""Real files for upload tests, made by the libraries that make them in the wild (not stubs with a header)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image


def pdf_bytes(text: str = "chuangwei") -> bytes:
    """A minimal valid one-page PDF (what a scanner or 'print to PDF' writes, in miniature)."""
    body = f"BT /F1 12 Tf 20 40 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 80] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (64, 48), colour: str = "green") -> bytes:
    """A real PNG made by Pillow."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    """A real JPEG made by Pillow."""
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, format="JPEG")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    """A real workbook made by openpyxl."""
    book = Workbook()
    book.active.append(["台账", "数量"])
    book.active.append(["会议", 3])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_like_bytes() -> bytes:
    """An OOXML word-processing package with the entries Word and WPS write."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return out.getvalue()


def exe_bytes() -> bytes:
    """The start of a Windows executable (MZ header and PE signature)."""
    header = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x00" * 2)
    header += b"\x00" * (0x3C - len(header)) + (0x80).to_bytes(4, "little")
    header += b"\x00" * (0x80 - len(header)) + b"PE\x00\x00" + b"\x00" * 400
    return bytes(header)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """Wrap bytes as a browser upload with the given (possibly lying) name."""
    return SimpleUploadedFile(name, content, content_type=content_type)
