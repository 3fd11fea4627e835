"""In real Chromium: an anonymous visitor searches the public catalog, opens a pathway,
and fetches its Open Badges definition, badge image and PDF summary."""

import base64
import io
import json
import re

import pytest
from django.core.management import call_command

from credentials import exports
from credentials.models import CatalogBadge
from tests.factories import published_credential

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_visitor_finds_a_pathway_and_downloads_its_exports(new_page, step):
    call_command("load_demo", stdout=io.StringIO())
    page = new_page()
    page.goto("/catalog/")
    assert page.get_by_role("heading", name="Micro-credential catalog").is_visible()
    step(page, "20-catalog")
    page.get_by_label("Level").select_option(label="Macro – Mastery")
    page.get_by_role("searchbox", name="Search").fill("service")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/catalog/?*")
    cards = page.locator("article.catalog-card")
    assert cards.count() == 1
    step(page, "21-catalog-filtered")
    cards.get_by_role("link", name="Service Excellence", exact=True).click()
    page.wait_for_url(re.compile(r"/catalog/\d+/#"))
    stack = page.locator(".pathway-stack li")
    assert stack.all_inner_texts()[0].startswith("Service Excellence")
    assert stack.all_inner_texts()[-1].startswith("Service Basics")
    # Every badge image on the page loaded (none broken).
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    assert widths and all(w > 0 for w in widths)
    step(page, "22-credential-pathway")
    # What a learner needs is on the page; the raw documents wait in one closed
    # disclosure, which opens without JavaScript's help (details/summary).
    page.get_by_text("For platforms").click()
    step(page, "23-credential-for-platforms")
    machining = CatalogBadge.objects.get(
        name="Precision Machining Fundamentals Level 1"
    )
    page.goto(machining.get_absolute_url())
    badge = page.locator(f'article[id="{machining.key}"]')
    for label in ["Criteria", "Competencies and learning outcomes", "Delivery mode"]:
        assert badge.get_by_text(label, exact=True).is_visible()
    platforms = page.locator("details.for-platforms")
    assert not platforms.get_by_role("link").first.is_visible()
    step(page, "24-credential-learner")

    excellence = CatalogBadge.objects.get(name="Service Excellence")
    achievement = page.request.get(excellence.export_url("achievement.json"))
    assert achievement.ok
    assert json.loads(achievement.body())["name"] == "Service Excellence"
    image = page.request.get(excellence.export_url("image.png"))
    assert image.headers["content-type"] == "image/png"
    with page.expect_download() as download:
        page.get_by_text("For platforms").click()
        page.get_by_role("link", name="Specimen award baked, OB 3.0 (PNG)").last.click()
    assert download.value.suggested_filename.endswith("specimen-ob3.png")
    summary = page.request.get(f"/catalog/{excellence.proposal_id}/summary.pdf")
    assert summary.headers["content-type"] == "application/pdf"
    assert summary.body().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_chromium_draws_the_issuers_logo_on_the_svg_badge(new_page, screenshot):
    from tests.credentials.test_badge_images import _logo_pixels, _logo_png

    entry = published_credential().catalog_badges.get(level="1")
    plain = exports.render(entry, "image.svg")[0]
    issuer = entry.proposal.issuer
    issuer.image, issuer.image_type = _logo_png(), "image/png"
    issuer.save()
    with_logo = exports.render(entry, "image.svg")[0]
    page = new_page()
    page.set_viewport_size({"width": 400, "height": 400})
    drawn = []
    for document in (plain, with_logo):
        data = base64.b64encode(document).decode()
        page.set_content(
            f'<body style="margin:0"><img src="data:image/svg+xml;base64,{data}"'
            ' width="400" height="400" alt=""></body>'
        )
        page.locator("img").evaluate("img => img.decode()")
        drawn.append(page.screenshot())
    screenshot(page, "badge-with-issuer-logo")
    assert _logo_pixels(drawn[0]) == 0
    assert _logo_pixels(drawn[1]) > 4_000
