"""Images people upload (badge images, issuer logos): PNG or JPEG recognised from
their content, checked before decoding, and stored re-encoded, so nothing of the
uploaded file but its pixels survives."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
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
