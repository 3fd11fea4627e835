"""Every file a badge of an approved credential exports, by the name it has in its
public address (and in `export_badges` folders): the one place the web views and the
command get them from."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from credentials import badge_image, catalog_hooks, openbadges
from metadata_templates.models import BadgeArtwork


@dataclass(frozen=True)
class Export:
    content_type: str
    render: Callable[[object], bytes]
    label: str
    # Which `export_badges --format` writes it.
    group: str


def _json(document: dict) -> bytes:
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def _shape(entry, specimen=False) -> badge_image.Layout:
    return badge_image.layout(
        entry.name, entry.level, entry.category, specimen=specimen
    )


def _words(entry) -> dict:
    return {
        "title": entry.name,
        "description": openbadges.image_caption(entry),
        "link": openbadges.absolute(entry.export_url("achievement.json")),
        "creator": entry.proposal.issuer.name,
    }


def _artwork(entry) -> bytes | None:
    """The team's uploaded image of the badge, if any."""
    data = (
        BadgeArtwork.objects.filter(proposal_id=entry.proposal_id, badge_key=entry.key)
        .values_list("image", flat=True)
        .first()
    )
    return bytes(data) if data else None


def _svg(entry) -> bytes:
    return badge_image.svg(_shape(entry), **_words(entry), artwork=_artwork(entry))


def _png(entry) -> bytes:
    return badge_image.png_image(
        _shape(entry), **_words(entry), artwork=_artwork(entry)
    )


# Images an award is baked into, by the suffix of their names: the Open Badges
# version of the document baked in, and the image format.
BAKED = ("ob2.png", "ob2.svg", "ob3.png", "ob3.svg")


def baked_image(entry, kind: str, document: dict, *, specimen=False) -> bytes:
    """The badge's image with an award baked in: an OB 2.0 Assertion ("ob2.png",
    "ob2.svg", by the reference baker) or an OB 3.0 credential ("ob3.png",
    "ob3.svg"); a specimen's image says so."""
    shape = _shape(entry, specimen)
    words = {**_words(entry), "artwork": _artwork(entry)}
    if specimen:
        words["title"] = _("SPECIMEN – %s") % entry.name
    if kind == "ob3.svg":
        return badge_image.svg(shape, **words, credential=document)
    draw = badge_image.png_image if kind.endswith(".png") else badge_image.svg
    image = draw(shape, **words)
    if kind == "ob3.png":
        return badge_image.bake_credential_png(image, document)
    return badge_image.bake_assertion(image, document)


def _specimen(kind: str) -> Callable[[object], bytes]:
    def render(entry) -> bytes:
        document = (
            openbadges.specimen_credential(entry)
            if kind.startswith("ob3")
            else openbadges.specimen_assertion(entry)
        )
        return baked_image(entry, kind, document, specimen=True)

    return render


JSON, SVG, PNG = "application/json", "image/svg+xml", "image/png"
LD_JSON = "application/ld+json"
EXPORTS = {
    "achievement.json": Export(
        LD_JSON,
        lambda e: _json(openbadges.achievement(e)),
        _("Open Badges 3.0 Achievement"),
        "ob3",
    ),
    "badgeclass.json": Export(
        LD_JSON,
        lambda e: _json(openbadges.badgeclass(e)),
        _("Open Badges 2.0 BadgeClass"),
        "ob2",
    ),
    "image.svg": Export(SVG, _svg, _("Badge image (SVG)"), "image"),
    "image.png": Export(PNG, _png, _("Badge image (PNG)"), "image"),
    "specimen-assertion.json": Export(
        LD_JSON,
        lambda e: _json(openbadges.specimen_assertion(e)),
        _("Specimen award, OB 2.0 Assertion"),
        "ob2",
    ),
    "specimen-ob2.png": Export(
        PNG, _specimen("ob2.png"), _("Specimen award baked, OB 2.0 (PNG)"), "specimen"
    ),
    "specimen-ob2.svg": Export(
        SVG, _specimen("ob2.svg"), _("Specimen award baked, OB 2.0 (SVG)"), "specimen"
    ),
    "specimen-ob3.png": Export(
        PNG, _specimen("ob3.png"), _("Specimen award baked, OB 3.0 (PNG)"), "specimen"
    ),
    "specimen-ob3.svg": Export(
        SVG, _specimen("ob3.svg"), _("Specimen award baked, OB 3.0 (SVG)"), "specimen"
    ),
}
GROUPS = ("ob3", "ob2", "image", "specimen")


def render(entry, name: str) -> tuple[bytes, str]:
    export = EXPORTS[name]
    return export.render(entry), export.content_type


# As long as public caches may keep them (the responses' max-age).
CACHE_SECONDS = 300


def render_cached(entry, name: str) -> tuple[bytes, str]:
    """`render`, kept for a few minutes: images and baked specimens take hundreds of
    milliseconds to draw, and an approved badge's definition no longer changes."""
    key = (
        f"export:{entry.proposal_id}:{entry.key}:{entry.revision_id}:"
        f"{entry.approved_at.timestamp()}:{entry.proposal.issuer_id}:{name}:"
        f"{catalog_hooks.stamp(entry.proposal_id)}"
    )
    return cache.get_or_set(key, lambda: render(entry, name), CACHE_SECONDS)
