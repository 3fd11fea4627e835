"""Badge images drawn from the badge itself: its name and its level marked as seed 000
marks it (one, two or three small stars; one large star for Macro), and the issuer's
logo on a seal when it has one. One layout feeds both the SVG (a template, so user
text is escaped) and the PNG (Pillow), and the specimen awards bake Open Badges
metadata into either."""

from __future__ import annotations

import base64
import io
import json
import math
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import png
from defusedxml import ElementTree
from django.template.loader import render_to_string
from openbadges_bakery import bake as bake_ob2
from openbadges_bakery import unbake as unbake_ob2
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from metadata_templates.uploads import SIZE

FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
# Dark enough for white text at WCAG AA on every level.
COLOURS = {
    "1": ("#17604f", "#7fd1b9"),
    "2": ("#1f4e8c", "#9cc3f5"),
    "3": ("#5b2a86", "#c9a6ec"),
    "macro": ("#6e4700", "#f2c14e"),
}
# The specimen ribbon crosses the lower right corner, off the badge's texts.
SPECIMEN_CORNER = (340, 340)
# The issuer's seal sits across the lower left rim, opposite the ribbon: a third of
# the badge wide, so a logo still reads on the catalog's 72-pixel cards.
SEAL_CENTER = (70, 330)
SEAL_RADIUS = 64
# The logo's box inside the seal's white disc (its inscribed square, nearly).
LOGO_BOX = 88
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB3_KEYWORD = b"openbadgecredential"


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    size: int
    value: str


@dataclass(frozen=True)
class Layout:
    fill: str
    accent: str
    texts: list[Text] = field(default_factory=list)
    stars: list[list[tuple[float, float]]] = field(default_factory=list)
    specimen: bool = False
    seal: bool = False


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    if FONT_FILE.exists():
        return ImageFont.truetype(str(FONT_FILE), size)
    return ImageFont.load_default(size)


def _width(text: str, size: int) -> float:
    return _font(size).getlength(text)


def _wrap(text: str, size: int, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and _width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _fit(text: str, size: int, width: float) -> str:
    if _width(text, size) <= width:
        return text
    while text and _width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _name_lines(name: str, most: int = 3) -> tuple[int, list[str]]:
    """The largest type size at which the name fits in `most` lines, else three
    lines of the smallest."""
    for size in (34, 30, 26, 22):
        lines = _wrap(name, size, 290)
        if len(lines) <= most and all(_width(line, size) <= 290 for line in lines):
            return size, lines
    if most < 3:
        return _name_lines(name)
    lines = _wrap(name, 22, 290)
    return 22, [_fit(line, 22, 290) for line in lines[:2]] + [
        _fit(" ".join(lines[2:]), 22, 290)
    ]


# Sizes and line widths to try for the category, best first: one line, shrinking;
# then two or three narrower lines (the circle narrows toward the top).
CATEGORY_FITS = (
    (17, 1, 250),
    (15, 1, 250),
    (13, 1, 250),
    (15, 2, 220),
    (13, 2, 220),
    (12, 3, 190),
    (11, 3, 190),
    (10, 3, 190),
)
CATEGORY_BASELINE = 96


def _category_lines(category: str) -> tuple[int, list[str]]:
    """The category whole, at the first fit that holds it; only a category too long
    for three lines of the smallest type loses its end."""
    for size, count, width in CATEGORY_FITS:
        lines = _wrap(category, size, width)
        if len(lines) <= count and all(_width(line, size) <= width for line in lines):
            return size, lines
    size, count, width = CATEGORY_FITS[-1]
    lines = [_fit(line, size, width) for line in _wrap(category, size, width)]
    return size, [*lines[: count - 1], _fit(" ".join(lines[count - 1 :]), size, width)]


def star(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        angle = math.radians(-90 + i * 36)
        r = radius if i % 2 == 0 else radius * 0.45
        points.append(
            (round(cx + r * math.cos(angle), 2), round(cy + r * math.sin(angle), 2))
        )
    return points


def layout(
    name: str, level: str, category: str = "", *, specimen=False, seal=False
) -> Layout:
    """Where everything goes on a drawn badge; `seal` leaves room for the issuer's
    logo in the lower left."""
    fill, accent = COLOURS.get(level, COLOURS["1"])
    texts, stars = [], []
    # One line: a line break typed into the field would stop the font shaper.
    category = " ".join(category.split())
    if category:
        size, lines = _category_lines(category.upper())
        # The last line keeps its place above the name; more lines grow upward.
        for index, line in enumerate(lines):
            up = len(lines) - 1 - index
            texts.append(
                Text(200, round(CATEGORY_BASELINE - up * size * 1.2, 1), size, line)
            )
    macro_with_seal = level == "macro" and seal
    # Below the macro's large star a third line would reach the seal: two lines
    # where they do, else three small ones raised off it.
    size, lines = _name_lines(name or "Badge", 2 if macro_with_seal else 3)
    middle = 228 if level == "macro" else 196
    if macro_with_seal:
        middle = 222 if len(lines) <= 2 else 214
    top = middle - (len(lines) - 1) * size * 0.6
    for index, line in enumerate(lines):
        texts.append(
            Text(200, round(top + index * size * 1.2 + size * 0.35, 1), size, line)
        )
    if level == "macro":
        stars.append(star(200, 140, 40))
        texts.append(Text(200, 340, 16, "MACRO"))
    else:
        count = int(level) if level in ("1", "2", "3") else 1
        start = 200 - (count - 1) * 18
        stars += [star(start + i * 36, 296, 14) for i in range(count)]
        texts.append(Text(200, 340, 16, f"LEVEL {count}"))
    return Layout(fill, accent, texts, stars, specimen, seal)


@lru_cache(maxsize=8)
def _logo_png(logo: bytes) -> bytes:
    """The logo fitted into the seal's box at twice the drawing's resolution, so an
    SVG carries a small image however large the uploaded one was."""
    image = Image.open(io.BytesIO(logo)).convert("RGBA")
    image.thumbnail((LOGO_BOX * 2, LOGO_BOX * 2), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _logo_place(logo: bytes) -> tuple[float, float, float, float]:
    """x, y, width and height of the fitted logo, centred on the seal."""
    width, height = Image.open(io.BytesIO(_logo_png(logo))).size
    scale = LOGO_BOX / max(width, height)
    w, h = width * scale, height * scale
    cx, cy = SEAL_CENTER
    return round(cx - w / 2, 2), round(cy - h / 2, 2), round(w, 2), round(h, 2)


def _cdata_safe_json(document: dict) -> str:
    """The document's JSON with no ">" (written as the same JSON's `\\u003e`), so
    that nothing in it (evidence saying "]]>") can end the CDATA section an SVG
    bakes it in."""
    return json.dumps(document, ensure_ascii=False).replace(">", "\\u003e")


def svg(
    shape: Layout,
    *,
    title: str,
    description: str,
    link: str,
    creator: str = "",
    credential: dict | None = None,
    element_id: str = "badge",
    artwork: bytes | None = None,
    logo: bytes | None = None,
) -> bytes:
    """The SVG document, drawn (with the issuer's `logo` on its seal, if the layout
    has one) or wrapping the uploaded artwork; `credential` bakes an OB 3.0
    credential into it."""
    baked = None if credential is None else _cdata_safe_json(credential)
    return render_to_string(
        "credentials/badge.svg",
        {
            "shape": shape,
            "polygons": [" ".join(f"{x},{y}" for x, y in s) for s in shape.stars],
            "title": title,
            "description": description,
            "link": link,
            "creator": creator,
            "baked": baked,
            "ob3_namespace": OB3_NAMESPACE,
            "element_id": element_id,
            "artwork": base64.b64encode(artwork).decode() if artwork else None,
            "seal": _seal_context(shape, logo),
        },
    ).encode()


def _seal_context(shape: Layout, logo: bytes | None) -> dict | None:
    if not (logo and shape.seal):
        return None
    x, y, width, height = _logo_place(logo)
    return {
        "cx": SEAL_CENTER[0],
        "cy": SEAL_CENTER[1],
        "r": SEAL_RADIUS,
        "inner": SEAL_RADIUS - 6,
        "x": x,
        "y": y,
        "width": width,
        "height": height,
        "data": base64.b64encode(_logo_png(logo)).decode(),
    }


def _draw_seal(image: Image.Image, shape: Layout, logo: bytes, scale: int) -> None:
    cx, cy = (c * scale for c in SEAL_CENTER)
    draw = ImageDraw.Draw(image)
    for radius, colour in ((SEAL_RADIUS, shape.accent), (SEAL_RADIUS - 6, "#ffffff")):
        r = radius * scale
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
    x, y, width, height = _logo_place(logo)
    fitted = (
        Image.open(io.BytesIO(_logo_png(logo)))
        .convert("RGBA")
        .resize((round(width * scale), round(height * scale)), Image.Resampling.LANCZOS)
    )
    image.alpha_composite(fitted, (round(x * scale), round(y * scale)))


def png_image(
    shape: Layout,
    *,
    title: str,
    description: str,
    link: str,
    creator: str = "",
    artwork: bytes | None = None,
    logo: bytes | None = None,
) -> bytes:
    """The PNG: the uploaded artwork, or the drawing (with the issuer's `logo` on
    its seal, if the layout has one) made four times larger and scaled down for
    smooth edges."""
    scale = 4
    image = Image.new("RGBA", (SIZE * scale, SIZE * scale), (0, 0, 0, 0))
    if artwork:
        image = Image.open(io.BytesIO(artwork)).convert("RGBA").resize(image.size)
        shape = Layout(shape.fill, shape.accent, [], [], shape.specimen)
    draw = ImageDraw.Draw(image)

    def box(r: float) -> list[float]:
        return [
            (200 - r) * scale,
            (200 - r) * scale,
            (200 + r) * scale,
            (200 + r) * scale,
        ]

    if not artwork:
        draw.ellipse(box(196), fill=shape.accent)
        draw.ellipse(box(184), fill=shape.fill)
        draw.ellipse(box(168), outline="#ffffff", width=3 * scale)
    for points in shape.stars:
        draw.polygon([(x * scale, y * scale) for x, y in points], fill=shape.accent)
    for text in shape.texts:
        draw.text(
            (text.x * scale, text.y * scale),
            text.value,
            font=_font(text.size * scale),
            fill="#ffffff",
            anchor="ms",
        )
    if logo and shape.seal:
        _draw_seal(image, shape, logo, scale)
    if shape.specimen:
        band = Image.new("RGBA", (220 * scale, 44 * scale), (176, 0, 32, 235))
        ImageDraw.Draw(band).text(
            (110 * scale, 30 * scale),
            "SPECIMEN",
            font=_font(22 * scale),
            fill="#ffffff",
            anchor="ms",
        )
        band = band.rotate(45, expand=True, resample=Image.Resampling.BICUBIC)
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        cx, cy = SPECIMEN_CORNER
        overlay.paste(
            band, (cx * scale - band.width // 2, cy * scale - band.height // 2), band
        )
        image.alpha_composite(overlay)
    image = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    info = PngInfo()
    info.add_itxt("Title", title)
    info.add_itxt("Description", description)
    if creator:
        info.add_itxt("Author", creator)
    info.add_itxt("Comment", f"Open Badges 3.0 Achievement: {link}")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, optimize=True)
    return out.getvalue()


def bake_assertion(image: bytes, assertion: dict) -> bytes:
    """Bake an OB 2.0 Assertion (PNG or SVG) with the reference baker."""
    baked = bake_ob2(io.BytesIO(image), _cdata_safe_json(assertion))
    try:
        return baked.read()
    finally:
        baked.close()


def bake_credential_png(image: bytes, credential: dict) -> bytes:
    """Bake an OB 3.0 credential into a PNG: one uncompressed iTXt chunk with the
    keyword `openbadgecredential`, right after the header, replacing any earlier."""
    text = json.dumps(credential, ensure_ascii=False).encode()
    chunk = (b"iTXt", OB3_KEYWORD + b"\x00\x00\x00\x00\x00" + text)
    chunks = list(png.Reader(bytes=image).chunks())
    kept = [
        c
        for c in chunks[1:]
        if not (c[0] == b"iTXt" and c[1].startswith(OB3_KEYWORD + b"\x00"))
    ]
    out = io.BytesIO()
    png.write_chunks(out, [chunks[0], chunk, *kept])
    return out.getvalue()


def unbake_assertion(image: bytes) -> str | None:
    """What the reference baker baked into an OB 2.0 PNG or SVG (an assertion's
    JSON, or its hosted address), or None. It parses SVG with defusedxml."""
    try:
        baked = unbake_ob2(io.BytesIO(image))
    except IndexError:
        # An SVG with no assertion element.
        return None
    return baked.decode() if isinstance(baked, bytes) else baked


def unbake_credential(image: bytes) -> dict | None:
    """The OB 3.0 credential baked into a PNG or SVG, or None."""
    if image.startswith(b"\x89PNG"):
        for kind, data in png.Reader(bytes=image).chunks():
            if kind == b"iTXt" and data.startswith(OB3_KEYWORD + b"\x00"):
                _keyword, rest = data.split(b"\x00", 1)
                # compression flag, method, language tag\0, translated keyword\0, text
                _language, _translated, text = rest[2:].split(b"\x00", 2)
                return json.loads(text)
        return None
    root = ElementTree.fromstring(image)
    node = root.find(f"{{{OB3_NAMESPACE}}}credential")
    return json.loads(node.text) if node is not None and node.text else None
