"""Every address inside every export answers from the moment the export does: a
platform that imports an approved credential's Achievement before the launch must be
able to follow its criteria, image, issuer and specimen links."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from credentials import exports
from tests.factories import published_credential

ADDRESS = re.compile(r"https?://[^\s\"'<>)\]]+")


def _addresses(body: bytes) -> set[str]:
    """The site's own addresses a document names, without fragments."""
    text = body.decode("utf-8", errors="ignore")
    return {
        url.split("#")[0]
        for url in ADDRESS.findall(text)
        if url.startswith(settings.SITE_URL)
    }


@pytest.mark.parametrize("state", ["approved", "published", "retired"])
def test_every_address_inside_every_export_answers(client, db, state):
    proposal = published_credential(state=state)
    start = [
        badge.export_url(name)
        for badge in proposal.catalog_badges.all()
        for name in exports.EXPORTS
    ]
    seen, queue = set(), list(start)
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        if response["Content-Type"].startswith(("application/", "image/svg")):
            for url in _addresses(response.content):
                queue.append(urlsplit(url).path)
    followed = seen - set(start)
    # The criteria page, the issuer documents and the specimen assertion at least.
    assert any(path.startswith(f"/catalog/{proposal.pk}/") for path in followed)
    assert any("/issuers/" in path for path in followed)


def test_the_criteria_address_of_an_approved_credential_is_its_page(client, db):
    proposal = published_credential(state="approved")
    badge = proposal.catalog_badges.first()
    document = json.loads(client.get(badge.export_url("achievement.json")).content)
    page = client.get(urlsplit(document["criteria"]["id"]).path)
    assert page.status_code == 200
    assert badge.name in page.content.decode()
