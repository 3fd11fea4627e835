import io
import json

import pytest
from defusedxml import ElementTree
from hypothesis import given
from hypothesis import strategies as st
from openbadges_bakery import unbake
from PIL import Image

from credentials import badge_image, exports, openbadges
from tests.factories import published_credential

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def entries(db):
    proposal = published_credential()
    return {b.level: b for b in proposal.catalog_badges.all()}


def _svg(entry, name="image.svg"):
    return ElementTree.fromstring(exports.render(entry, name)[0])


@pytest.mark.parametrize(
    ("level", "stars"), [("1", 1), ("2", 2), ("3", 3), ("macro", 1)]
)
def test_svg_shows_name_and_level_as_seed_000_marks_it(entries, level, stars):
    entry = entries[level]
    root = _svg(entry)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == entry.name
    assert "issued by" in root.find(f"{SVG}desc").text
    polygons = root.findall(f"{SVG}polygon")
    assert len(polygons) == stars
    texts = " ".join(t.text for t in root.iter(f"{SVG}text"))
    assert ("MACRO" if level == "macro" else f"LEVEL {level}") in texts
    if level == "macro":
        # One large star, not a small one.
        xs = [float(p.split(",")[0]) for p in polygons[0].get("points").split()]
        assert max(xs) - min(xs) > 60
    link = openbadges.absolute(entry.export_url("achievement.json"))
    assert link.encode() in exports.render(entry, "image.svg")[0]


def test_png_carries_title_description_and_the_achievement_link(entries):
    entry = entries["2"]
    image = Image.open(io.BytesIO(exports.render(entry, "image.png")[0]))
    assert image.size == (400, 400)
    assert image.text["Title"] == entry.name
    assert "Level 2" in image.text["Description"]
    assert (
        openbadges.absolute(entry.export_url("achievement.json"))
        in image.text["Comment"]
    )


def test_definition_images_are_not_baked(entries):
    entry = entries["1"]
    assert unbake(io.BytesIO(exports.render(entry, "image.png")[0])) is None
    assert badge_image.unbake_credential(exports.render(entry, "image.png")[0]) is None
    assert badge_image.unbake_credential(exports.render(entry, "image.svg")[0]) is None


def test_html_in_badge_text_stays_text_in_the_svg(db):
    proposal = published_credential()
    entry = proposal.catalog_badges.first()
    entry.name = '<script>alert(1)</script><a href="javascript:x">Weld</a> & Cut'
    body = exports.render(entry, "image.svg")[0]
    root = ElementTree.fromstring(body)
    assert root.find(f".//{SVG}script") is None
    assert root.find(f".//{SVG}a") is None
    assert b"<script>" not in body
    assert root.find(f"{SVG}title").text == entry.name


@pytest.mark.parametrize("name", ["specimen-ob2.png", "specimen-ob2.svg"])
def test_specimen_ob2_award_round_trips_through_the_reference_baker(entries, name):
    entry = entries["3"]
    baked = exports.render(entry, name)[0]
    expected = openbadges.specimen_assertion(entry)
    unbaked = unbake(io.BytesIO(baked))
    if name.endswith(".png"):
        assert json.loads(unbaked) == expected
    else:
        # The reference baker returns the hosted assertion's id for SVG; the whole
        # assertion is in the element's CDATA.
        assert unbaked == expected["id"]
        node = ElementTree.fromstring(baked).find("{http://openbadges.org}assertion")
        assert json.loads(node.text) == expected
    assert expected["evidence"]["narrative"].startswith("SPECIMEN")


@pytest.mark.parametrize("name", ["specimen-ob3.png", "specimen-ob3.svg"])
def test_specimen_ob3_award_round_trips(entries, name):
    entry = entries["macro"]
    baked = exports.render(entry, name)[0]
    credential = badge_image.unbake_credential(baked)
    assert credential == openbadges.specimen_credential(entry)
    assert openbadges.ob3_problems(credential, definition=None) == []
    assert credential["name"].startswith("SPECIMEN")


def test_baking_again_replaces_the_earlier_credential(entries):
    entry = entries["1"]
    image = exports.render(entry, "image.png")[0]
    once = badge_image.bake_credential_png(image, {"a": 1})
    twice = badge_image.bake_credential_png(once, {"b": 2})
    assert badge_image.unbake_credential(twice) == {"b": 2}
    assert twice.count(b"openbadgecredential") == 1


def test_specimen_images_say_specimen(entries):
    entry = entries["1"]
    root = _svg(entry, "specimen-ob3.svg")
    assert "SPECIMEN" in [t.text for t in root.iter(f"{SVG}text")]
    png = Image.open(io.BytesIO(exports.render(entry, "specimen-ob2.png")[0]))
    assert png.text["Title"].startswith("SPECIMEN")


def test_long_names_fit_in_three_lines():
    shape = badge_image.layout("Advanced " * 20, "2", "Category")
    names = [t for t in shape.texts if t.size >= 22 and t.value not in ("LEVEL 2",)]
    assert 1 <= len(names) <= 4
    assert all(badge_image._width(t.value, t.size) <= 290 for t in names)


# Up to 71 characters: three lines of the smallest type hold about 75 (longer
# categories, up to the field's 200, lose their end).
category_words = st.lists(
    st.sampled_from(["Skills", "Technology", "Advanced", "Residential", "21st", "and"]),
    min_size=1,
    max_size=6,
)


@given(category_words, st.sampled_from(["1", "2", "3", "macro"]))
def test_the_category_fits_whole_on_the_badge(words, level):
    category = " ".join(words)
    shape = badge_image.layout("Welding", level, category)
    lines = [t for t in shape.texts if t.y <= badge_image.CATEGORY_BASELINE]
    assert " ".join(t.value for t in lines) == category.upper()
    for text in lines:
        # On the badge's disc (radius 184), the corners of its capitals included.
        half = badge_image._width(text.value, text.size) / 2
        top = text.y - 0.73 * text.size
        assert half**2 + (200 - top) ** 2 <= 184**2


@given(st.text(alphabet="ABCDEFGHIJ ", min_size=1, max_size=120))
def test_the_specimen_ribbon_never_covers_the_badge_texts(name):
    shape = badge_image.layout(name, "2", "Workforce Development", specimen=True)
    corner = sum(badge_image.SPECIMEN_CORNER)
    # The ribbon is 44 units wide across the line x + y = corner.
    reach = corner - 22 * 2**0.5
    for text in shape.texts:
        right = text.x + badge_image._width(text.value, text.size) / 2
        assert right + text.y < reach


# A logo in a colour no badge uses, so its pixels are easy to find.
LOGO_RGB = (255, 0, 170)


def _logo_png(size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, LOGO_RGB).save(out, "PNG")
    return out.getvalue()


def _logo_pixels(png: bytes, side: int = 400) -> int:
    """How many pixels of the seal's box, at `side` pixels, are the logo's."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if side != image.width:
        image = image.resize((side, side), Image.Resampling.LANCZOS)
    (cx, cy), r = badge_image.SEAL_CENTER, badge_image.SEAL_RADIUS
    scale = side / 400
    box = image.crop([round(v * scale) for v in (cx - r, cy - r, cx + r, cy + r)])
    return sum(
        1
        for pixel in box.get_flattened_data()
        if all(abs(a - b) < 40 for a, b in zip(pixel, LOGO_RGB, strict=True))
    )


@pytest.mark.parametrize("name", ["image.png", "specimen-ob3.png"])
def test_png_carries_the_issuers_logo_on_its_seal(entries, name):
    entry = entries["2"]
    plain = exports.render(entry, name)[0]
    issuer = entry.proposal.issuer
    issuer.image, issuer.image_type = _logo_png(), "image/png"
    issuer.save()
    with_logo = exports.render(entry, name)[0]
    assert _logo_pixels(plain) == 0
    # The logo's 88-unit box, about 88 x 59 pixels for a 3:2 logo.
    assert _logo_pixels(with_logo) > 4_000
    # At the catalog's 72 pixels it is still a patch about 16 x 10 pixels.
    assert _logo_pixels(with_logo, side=72) > 120


def test_svg_carries_the_issuers_logo_small_and_clipped_to_the_seal(entries):
    entry = entries["macro"]
    assert _svg(entry).find(f"{SVG}image") is None
    issuer = entry.proposal.issuer
    issuer.image, issuer.image_type = _logo_png((3000, 2000)), "image/png"
    issuer.save()
    image = _svg(entry).find(f"{SVG}image")
    assert image.get("clip-path")
    assert float(image.get("width")) == badge_image.LOGO_BOX
    # A 3,000-pixel upload is scaled to the seal, not embedded whole.
    assert len(exports.render(entry, "image.svg")[0]) < 20_000


def test_the_teams_own_image_replaces_the_drawing_and_the_seal(entries):
    entry = entries["1"]
    issuer = entry.proposal.issuer
    issuer.image, issuer.image_type = _logo_png(), "image/png"
    issuer.save()
    out = io.BytesIO()
    Image.new("RGB", (400, 400), (0, 90, 0)).save(out, "PNG")
    entry.proposal.artworks.create(badge_key=entry.key, image=out.getvalue())
    assert _logo_pixels(exports.render(entry, "image.png")[0]) == 0


def _text_box(text) -> tuple[float, float, float, float]:
    half = badge_image._width(text.value, text.size) / 2
    # Capitals above the baseline, descenders below it (DejaVu Sans Bold).
    return (
        text.x - half,
        text.y - 0.73 * text.size,
        text.x + half,
        text.y + 0.24 * text.size,
    )


@given(
    st.text(alphabet="ABCDEFGHIJ gjpqy", min_size=1, max_size=120),
    st.sampled_from(["1", "2", "3", "macro"]),
    st.text(alphabet="ABCDEFGHIJ ", max_size=80),
)
def test_the_seal_never_covers_the_badge_texts(name, level, category):
    shape = badge_image.layout(name, level, category, seal=True)
    (cx, cy), r = badge_image.SEAL_CENTER, badge_image.SEAL_RADIUS
    for text in shape.texts:
        left, top, right, bottom = _text_box(text)
        nearest_x = min(max(cx, left), right)
        nearest_y = min(max(cy, top), bottom)
        assert (nearest_x - cx) ** 2 + (nearest_y - cy) ** 2 > r**2, text
