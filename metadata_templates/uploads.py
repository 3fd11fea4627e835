"""Files people upload. Images (badge images, issuer logos): PNG or JPEG recognised
from their content, checked before decoding, and stored re-encoded, so nothing of the
uploaded file but its pixels survives. Attachments (syllabi, rubrics, letters): PDF,
DOCX, XLSX, PNG or JPEG recognised from their content, never from their name or the
type the browser claims, and kept as uploaded."""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

# The side of every badge image, uploaded or generated.
SIZE = 400
UPLOAD_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAX_UPLOAD_SIDE = 4000
MAX_ARTWORK_BYTES = 1024 * 1024


def read_image(data: bytes, *, max_bytes: int) -> Image.Image:
    """An uploaded PNG or JPEG, its type read from its content; anything else (SVG,
    a renamed file, a decompression bomb, more than `max_bytes`) is refused."""
    if len(data) > max_bytes:
        raise ValidationError(
            _("The image may be at most %(kb)d KB.") % {"kb": max_bytes // 1024}
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, size = probe.format, probe.size
            probe.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("That file is not a PNG or JPEG image.")) from error
    if kind not in UPLOAD_TYPES:
        raise ValidationError(_("Upload a PNG or JPEG image."))
    # Checked before decoding, so a small file cannot unpack into a huge bitmap.
    if max(size) > MAX_UPLOAD_SIDE:
        raise ValidationError(
            _("The image may be at most %(px)d pixels wide and high.")
            % {"px": MAX_UPLOAD_SIDE}
        )
    image = Image.open(io.BytesIO(data))
    try:
        image.load()
    except OSError as error:
        raise ValidationError(_("That image file is damaged.")) from error
    return image


def artwork_png(data: bytes) -> bytes:
    """An uploaded badge image as the square 400-pixel PNG the exports use."""
    image = read_image(data, max_bytes=MAX_ARTWORK_BYTES).convert("RGBA")
    image.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)
    square = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    square.alpha_composite(
        image, ((SIZE - image.width) // 2, (SIZE - image.height) // 2)
    )
    out = io.BytesIO()
    square.save(out, "PNG", optimize=True)
    return out.getvalue()


class FileType(models.TextChoices):
    """The attachment types accepted, by the content type they are served with."""

    PDF = "application/pdf", "PDF"
    DOCX = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    )
    XLSX = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel (XLSX)",
    )
    PNG = "image/png", "PNG"
    JPEG = "image/jpeg", "JPEG"


EXTENSIONS = {
    FileType.PDF: ".pdf",
    FileType.DOCX: ".docx",
    FileType.XLSX: ".xlsx",
    FileType.PNG: ".png",
    FileType.JPEG: ".jpg",
}
# The main part an Office Open XML package declares in [Content_Types].xml says
# what it is; a .docm or .xlsm says "macroEnabled" there instead.
OFFICE_MAIN_PARTS = {
    f"{FileType.DOCX.value}.main+xml": FileType.DOCX,
    f"{FileType.XLSX.value}.main+xml": FileType.XLSX,
}
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# Only [Content_Types].xml is ever unpacked, and at most this much of it (a real one
# is a few KB); the other parts stay compressed, so a zip bomb is never inflated.
MAX_CONTENT_TYPES_BYTES = 256 * 1024
MAX_ZIP_ENTRIES = 10_000
ACCEPTED = gettext_lazy("a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file")


def recognise(data: bytes) -> FileType:
    """The type of an attachment, read from its content; ValidationError saying why
    for anything else (an empty file, a renamed program or web page, a macro-enabled
    or other zip file)."""
    if not data:
        raise ValidationError(_("The file is empty."))
    if data.startswith(b"%PDF-"):
        return FileType.PDF
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        return _image_type(data)
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    raise ValidationError(
        _("That file is not %(accepted)s (its content says so, whatever its name).")
        % {"accepted": ACCEPTED}
    )


def _image_type(data: bytes) -> FileType:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("That image file is damaged.")) from error
    return FileType.PNG if kind == "PNG" else FileType.JPEG


def _office_type(data: bytes) -> FileType:
    """DOCX or XLSX, from the main part its [Content_Types].xml declares."""
    damaged = ValidationError(
        _("That file is a damaged or unsupported zip file, not a Word or Excel file.")
    )
    other = ValidationError(
        _("That zip file is not a Word (DOCX) or Excel (XLSX) document.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise damaged
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names:
                raise other
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                raise damaged
            with package.open(info) as stream:
                # Bounded again: the declared size may lie.
                xml = stream.read(MAX_CONTENT_TYPES_BYTES + 1)
    except (
        zipfile.BadZipFile,
        RuntimeError,  # encrypted
        NotImplementedError,  # an unknown compression method
        EOFError,
        OSError,
        zlib.error,
    ) as error:
        raise damaged from error
    # No document type declaration: no entities to expand.
    if len(xml) > MAX_CONTENT_TYPES_BYTES or b"<!DOCTYPE" in xml.upper():
        raise damaged
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise damaged from error
    declared = [
        (node.get("PartName", "").lstrip("/"), node.get("ContentType", ""))
        for node in root.iter(f"{CONTENT_TYPES_NS}Override")
    ]
    declared += [
        ("", node.get("ContentType", ""))
        for node in root.iter(f"{CONTENT_TYPES_NS}Default")
    ]
    if any(
        "macroenabled" in kind.lower() or "vbaproject" in kind.lower()
        for _part, kind in declared
    ) or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            _("Macro-enabled documents are not accepted; save it as DOCX or XLSX.")
        )
    found = {
        OFFICE_MAIN_PARTS[kind]
        for part, kind in declared
        if kind in OFFICE_MAIN_PARTS and part in names
    }
    if len(found) != 1:
        raise other
    return found.pop()


def too_large(max_bytes: int) -> str:
    """The refusal of a file over the cap, naming the cap."""
    return _("The file is larger than the %(limit)s limit.") % {
        "limit": megabytes(max_bytes)
    }


def megabytes(size: int) -> str:
    """A size in MB (or KB under one MB), as limits are written."""
    if size >= 1024 * 1024:
        return _("%(n)s MB") % {"n": f"{size / (1024 * 1024):.3g}"}
    return _("%(n)d KB") % {"n": max(1, size // 1024)}


class CappedUploadHandler(FileUploadHandler):
    """Stops taking in a file as soon as it passes `max_bytes`: the rest of it is
    read from the connection and dropped, never buffered or written to disk, while
    the form's other fields are still parsed (so nothing typed is lost). Which
    fields were cut off is in `oversized`. Put first in the request's handlers,
    before anything reads request.POST."""

    def __init__(self, request, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.oversized: set[str] = set()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_bytes:
            self.oversized.add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
