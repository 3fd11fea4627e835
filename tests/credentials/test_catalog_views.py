import io

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from credentials import exports, views
from credentials.catalog import CARD_IMAGE, for_cards, index_credential, prepare_cards
from credentials.catalog_hooks import attach
from credentials.exports import EXPORTS
from credentials.models import CatalogBadge, Issuer
from metadata_templates.models import Revision
from tests.factories import published_credential

CATALOG = reverse("catalog:list")


@pytest.fixture
def published(db):
    return published_credential(title="Precision Welding")


def _export(proposal, name, level="1"):
    badge = proposal.catalog_badges.get(level=level)
    return reverse("catalog:export", args=[proposal.pk, badge.key, name])


def test_catalog_lists_published_badges_to_anyone(client, published):
    approved = published_credential(state="approved", title="Not Yet Launched")
    retired = published_credential(state="retired", title="Old Skill")
    html = client.get(CATALOG).content.decode()
    assert "Precision Welding Level 1" in html
    assert "Not Yet Launched" not in html
    assert "Old Skill" not in html
    # Its page answers (every export names it as the criteria) but says it is not
    # offered yet.
    soon = client.get(reverse("catalog:credential", args=[approved.pk]))
    assert soon.status_code == 200 and "coming soon" in soon.content.decode()
    page = client.get(reverse("catalog:credential", args=[retired.pk]))
    assert page.status_code == 200 and "no longer offered" in page.content.decode()


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        (
            {"level": "macro"},
            "Precision Welding Micro-Credential",
            "Precision Welding Level 1",
        ),
        ({"level": "2"}, "Precision Welding Level 2", "Precision Welding Level 3"),
        ({"q": "Garden"}, "Garden Design Level 1", "Precision Welding Level 1"),
        ({"category": "Horticulture"}, "Garden Design Level 1", "Precision Welding"),
        ({"issuer": "other"}, "Garden Design Level 1", "Precision Welding"),
    ],
)
def test_filters_and_search(client, published, query, shown, hidden):
    other = Issuer.objects.create(
        slug="other", name="Other College", url="https://o.test/", email="o@o.test"
    )
    garden = published_credential(title="Garden Design", issuer=other)
    revision = garden.drafts.get().revision
    content = revision.content
    content["credential"]["category"] = "Horticulture"
    Revision.objects.filter(pk=revision.pk).update(content=content)
    index_credential(garden)
    html = client.get(CATALOG, query).content.decode()
    assert shown in html
    assert hidden not in html


def test_unknown_filter_values_get_a_message_not_an_error(client, published):
    response = client.get(CATALOG, {"level": "9", "category": "<b>x</b>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "<b>x</b>" not in html


def test_catalog_queries_do_not_grow_with_its_size(client, published):
    client.get(CATALOG)
    with CaptureQueriesContext(connection) as few:
        client.get(CATALOG)
    for _ in range(6):
        published_credential()
    with CaptureQueriesContext(connection) as many:
        response = client.get(CATALOG)
    assert len(response.context["page"].object_list) == 24
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many]
    with CaptureQueriesContext(connection) as searched:
        client.get(CATALOG, {"q": "Level", "level": "1"})
    # Unfiltered, the total comes with the category counts; a search counts its own.
    assert len(searched) == len(few) + 1


def test_credential_page_queries_do_not_grow_with_badges(client, published):
    url = reverse("catalog:credential", args=[published.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    standalone = published_credential(
        intended_levels=["1"], credential_type="standalone"
    )
    with CaptureQueriesContext(connection) as fewer:
        client.get(reverse("catalog:credential", args=[standalone.pk]))
    assert len(fewer) == len(queries)


def test_credential_page_stacks_the_pathway_and_links_every_export(client, published):
    html = client.get(
        reverse("catalog:credential", args=[published.pk])
    ).content.decode()
    assert "How the badges stack" in html
    stack = html[html.index("pathway-stack") :]
    assert (
        stack.index("Micro-Credential")
        < stack.index("Level 3")
        < stack.index("Level 1")
    )
    for name in EXPORTS:
        assert _export(published, name) in html
    assert reverse("catalog:summary", args=[published.pk]) in html


@pytest.mark.parametrize("name", list(EXPORTS))
def test_every_export_answers_publicly(client, published, name):
    response = client.get(_export(published, name))
    assert response.status_code == 200
    assert response["Content-Type"] == EXPORTS[name].content_type
    assert response["Access-Control-Allow-Origin"] == "*"
    expected = "attachment" if name.startswith("specimen-") else "inline"
    assert response["Content-Disposition"].startswith(expected)


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("approved", 200),
        ("published", 200),
        ("retired", 200),
        ("committee_review", 404),
    ],
)
def test_exports_answer_from_approval_on(client, db, state, status):
    proposal = published_credential(state=state)
    assert client.get(_export(proposal, "achievement.json")).status_code == status


def test_unknown_badges_and_exports_are_404(client, published):
    badge = published.catalog_badges.first()
    assert (
        client.get(
            reverse("catalog:export", args=[published.pk, "nope", "image.svg"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("catalog:export", args=[published.pk, badge.key, "x.exe"])
        ).status_code
        == 404
    )


def test_issuer_documents(client, published):
    ob2 = client.get(reverse("catalog:issuer", args=["ums", "issuer.json"])).json()
    assert (ob2["type"], ob2["name"]) == ("Issuer", "University of Maine System")
    ob3 = client.get(reverse("catalog:issuer", args=["ums", "profile.json"])).json()
    assert ob3["type"] == ["Profile"]
    assert (
        client.get(reverse("catalog:issuer", args=["ums", "image"])).status_code == 404
    )
    assert (
        client.get(
            reverse("catalog:issuer", args=["nobody", "issuer.json"])
        ).status_code
        == 404
    )


def test_catalog_pages_refuse_posts(client, published):
    assert client.post(CATALOG).status_code == 405
    assert client.post(_export(published, "image.svg")).status_code == 405


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(out, "PNG")
    return out.getvalue()


def test_issuer_logo_is_sniffed_capped_and_served(client, site_admin, published):
    client.force_login(site_admin)
    issuer = Issuer.objects.get(slug="ums")
    url = reverse("admin:credentials_issuer_change", args=[issuer.pk])
    fields = {
        "name": issuer.name,
        "slug": issuer.slug,
        "url": issuer.url,
        "email": issuer.email,
        "description": "",
        "is_default": "on",
    }
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png")
    response = client.post(url, {**fields, "logo": fake})
    assert response.status_code == 200
    assert "not a PNG or JPEG" in response.content.decode()
    big = SimpleUploadedFile("logo.png", b"0" * (600 * 1024), "image/png")
    assert (
        "at most 512 KB" in client.post(url, {**fields, "logo": big}).content.decode()
    )
    logo = SimpleUploadedFile("anything.exe", _png(), "application/octet-stream")
    assert client.post(url, {**fields, "logo": logo}).status_code == 302
    client.logout()
    image = client.get(reverse("catalog:issuer", args=["ums", "image"]))
    assert (image.status_code, image["Content-Type"]) == (200, "image/png")
    profile = client.get(reverse("catalog:issuer", args=["ums", "issuer.json"])).json()
    assert profile["image"].endswith("/catalog/issuers/ums/image")


def test_exports_and_the_public_pdf_are_drawn_once_per_cache_period(
    client, published, monkeypatch
):
    calls = []
    real_render, real_pdf = exports.render, views.render_pdf
    monkeypatch.setattr(
        exports, "render", lambda *a: calls.append("export") or real_render(*a)
    )
    monkeypatch.setattr(
        views,
        "render_pdf",
        lambda *a, **k: calls.append("pdf") or real_pdf(*a, **k),
    )
    for _ in range(3):
        assert client.get(_export(published, "image.png")).status_code == 200
        summary = client.get(reverse("catalog:summary", args=[published.pk]))
        assert summary.content.startswith(b"%PDF")
    assert calls == ["export", "pdf"]


def test_a_kept_card_is_drawn_again_when_anything_on_it_changes(client, published):
    """The catalog keeps rendered cards under a digest of what they show, so changes
    that re-indexing does not stamp (the issuer's name, a prerequisite of another
    credential renamed) still reach the card at once."""
    first, second = published.catalog_badges.order_by("position")[:2]
    second.prerequisites.set([first])
    drawn = client.get(CATALOG).context["page"].object_list
    assert all(
        cache.get(make_template_fragment_key("catalog-card", [card.version, "en-us"]))
        for card in drawn
    )
    Issuer.objects.filter(pk=published.issuer_id).update(name="Renamed Issuer")
    CatalogBadge.objects.filter(pk=first.pk).update(name="Renamed First")
    CatalogBadge.objects.filter(pk=second.pk).update(description="Fresh words.")
    html = client.get(CATALOG).content.decode()
    assert "Issued by Renamed Issuer" in html
    assert "Prerequisite:</span> Renamed First" in html
    assert "Fresh words." in html
    assert first.name not in html


def test_card_addresses_are_the_ones_reverse_gives(published):
    badges = for_cards(CatalogBadge.objects.filter(proposal=published))
    for badge in prepare_cards(attach(badges)):
        assert badge.url == badge.get_absolute_url()
        assert badge.image_url == badge.export_url(CARD_IMAGE)
