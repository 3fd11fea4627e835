"""What an attack on signed awards found: each defect, as the attacker tried it."""

import io
import json

import pytest
from django.urls import reverse

from credentials.proofs import dataintegrity, keys
from tests.factories import issued_award, published_credential


@pytest.fixture
def badge(db):
    return published_credential().catalog_badges.order_by("position").first()


def _verify_file(client, data: bytes, name: str = "badge.json") -> str:
    upload = io.BytesIO(data)
    upload.name = name
    response = client.post(reverse("awards:verify_file"), {"file": upload})
    assert response.status_code == 200
    return response.content.decode()


def _forged(credential: dict, **changes) -> dict:
    """The credential re-signed by a stranger's did:key, naming it as issuer."""
    secret = keys.secret_key(keys.new_secret_key())
    did = keys.did_key(keys.public_multibase(secret.public_key()))
    unsigned = {key: value for key, value in credential.items() if key != "proof"}
    unsigned = {**unsigned, **changes}
    unsigned["issuer"] = {**unsigned["issuer"], "id": did}
    return dataintegrity.sign(unsigned, keys.SigningKey(secret, did))


def test_a_forged_issuer_is_not_vouched_for(client, badge):
    award = issued_award(badge, name="Ada Lovelace")
    issuer_name = badge.proposal.issuer.name
    forged = _forged(award.credential, name="Forged")
    page = _verify_file(client, json.dumps(forged).encode())
    assert "This badge was not issued by this site" in page
    assert f"by {issuer_name}" not in page
    assert "made by the issuer" not in page
    # It points at the site's status list (and an unrevoked award's index), yet
    # the page says nothing of its status.
    assert "Status:" not in page and "it is valid" not in page


def test_a_copy_of_an_award_with_a_new_id_signed_by_the_site_key_is_not_ours(
    client, badge
):
    award = issued_award(badge)
    unsigned = {k: v for k, v in award.credential.items() if k != "proof"}
    unsigned["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    resigned = dataintegrity.sign(unsigned, keys.signing_key("issuers", "x"))
    page = _verify_file(client, json.dumps(resigned).encode())
    assert "This badge was not issued by this site" in page


def test_a_genuine_award_is_still_vouched_for(client, badge):
    award = issued_award(badge, name="Ada Lovelace")
    page = _verify_file(client, json.dumps(award.credential).encode())
    assert f"issued to Ada Lovelace by {badge.proposal.issuer.name}" in page
    assert "made by the issuer" in page and "it is valid." in page
