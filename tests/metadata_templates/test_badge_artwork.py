import io

import pytest
from defusedxml import ElementTree
from django.urls import reverse
from PIL import Image

from approvals import services as workflow
from credentials import badge_image, exports, pdf
from credentials.catalog import index_credential
from metadata_templates.models import BadgeArtwork
from tests.factories import complete_draft


def _png(colour="red", size=(300, 200), kind="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


@pytest.fixture
def editable(drafting, proposer, client):
    revision = complete_draft(drafting)
    client.force_login(proposer)
    return drafting, revision.content["badges"][0]["key"]


def _post(client, proposal, key, data: bytes, filename="anything.png", **extra):
    upload = io.BytesIO(data)
    upload.name = filename
    return client.post(
        reverse("drafts:artwork", args=[proposal.pk, key]),
        {"image": upload, **extra},
        follow=True,
    )


def test_uploaded_image_replaces_the_generated_one_everywhere(
    client, editable, proposer, staff
):
    proposal, key = editable
    response = _post(client, proposal, key, _png("red"), filename="../../etc/x.exe")
    assert "Badge image uploaded." in response.content.decode()
    stored = Image.open(io.BytesIO(bytes(BadgeArtwork.objects.get().image)))
    assert stored.size == (400, 400) and stored.format == "PNG"
    preview = client.get(reverse("drafts:preview", args=[proposal.pk, key]))
    assert Image.open(io.BytesIO(preview.content)).convert("RGB").getpixel(
        (200, 200)
    ) == (
        255,
        0,
        0,
    )
    workflow.perform(proposal, "submit_draft", user=proposer)
    entry = next(e for e in index_credential(proposal) if e.key == key)
    png = Image.open(io.BytesIO(exports.render(entry, "image.png")[0]))
    assert png.convert("RGB").getpixel((200, 200)) == (255, 0, 0)
    assert png.text["Title"] == entry.name
    svg = ElementTree.fromstring(exports.render(entry, "image.svg")[0])
    href = svg.find("{http://www.w3.org/2000/svg}image").get("href")
    assert href.startswith("data:image/png;base64,")
    baked = exports.render(entry, "specimen-ob3.png")[0]
    assert badge_image.unbake_credential(baked)["name"].startswith("SPECIMEN")
    fetched = []
    original = pdf.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url[:22])
        return original(self, url, headers)

    pdf.StaticOnlyFetcher.fetch = spy
    try:
        pdf.render_pdf(proposal, internal=True)
    finally:
        pdf.StaticOnlyFetcher.fetch = original
    assert "data:image/png;base64," in fetched


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "not a PNG"),
        (b"GIF89a" + b"\0" * 100, "not a PNG"),
        (b"plain text pretending to be a PNG", "not a PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "not a PNG"),
        (b"0" * (1024 * 1024 + 10), "at most 1024 KB"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(client, editable, data, message):
    proposal, key = editable
    response = _post(client, proposal, key, data)
    assert message in response.content.decode()
    assert not BadgeArtwork.objects.exists()


def test_huge_dimensions_are_refused_before_decoding(client, editable):
    proposal, key = editable
    response = _post(client, proposal, key, _png(size=(5000, 10)))
    assert "at most 4000 pixels" in response.content.decode()


def test_jpeg_is_accepted_gif_is_not(client, editable):
    proposal, key = editable
    _post(client, proposal, key, _png(kind="JPEG"))
    assert BadgeArtwork.objects.count() == 1
    response = _post(client, proposal, key, _png(kind="GIF"))
    assert "Upload a PNG or JPEG image." in response.content.decode()


def test_unknown_badge_missing_file_and_removal(client, editable):
    proposal, key = editable
    response = _post(client, proposal, "nope", _png())
    assert "That badge is not in the draft." in response.content.decode()
    response = client.post(
        reverse("drafts:artwork", args=[proposal.pk, key]), follow=True
    )
    assert "Choose an image file" in response.content.decode()
    _post(client, proposal, key, _png())
    response = client.post(
        reverse("drafts:artwork", args=[proposal.pk, key]), {"remove": "1"}, follow=True
    )
    assert "generated image again" in response.content.decode()
    assert not BadgeArtwork.objects.exists()


def test_no_uploads_outside_drafting(client, editable, proposer):
    proposal, key = editable
    workflow.perform(proposal, "submit_draft", user=proposer)
    response = client.post(
        reverse("drafts:artwork", args=[proposal.pk, key]),
        {"image": io.BytesIO(_png())},
    )
    assert response.status_code == 403
