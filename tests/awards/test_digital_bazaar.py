"""Awards as issued, checked by Digital Bazaar's verifier (one Node.js run): a
did:key award, did:web awards signed before and after a key rotation, each with
its status list as the site publishes it; a revoked award fails its status."""

import pytest

from awards import documents, services
from credentials.proofs import keys
from tests.credentials.digital_bazaar import verify_with_digital_bazaar
from tests.factories import issued_award, published_credential, staff_user

WEB = {"CREDENTIAL_DID_METHOD": "web", "SITE_URL": "https://mc.example.edu"}


@pytest.fixture
def verdicts(db, settings):
    badge = published_credential().catalog_badges.first()
    staff = staff_user()
    awards = {"did:key": issued_award(badge, awarded_by=staff)}
    lists = {}

    def publish(award):
        listed = services.status_list_credential(award.status_list)
        lists[documents.status_list_url(award.status_list)] = listed

    publish(awards["did:key"])
    for name, value in WEB.items():
        setattr(settings, name, value)
    awards["did:web"] = issued_award(badge, awarded_by=staff, email="web@example.edu")
    awards["did:web revoked"] = issued_award(
        badge, awarded_by=staff, email="revoked@example.edu"
    )
    services.revoke(awards["did:web revoked"], by=staff, reason="Issued by mistake.")
    rotated = keys.rotation()
    settings.CREDENTIAL_SIGNING_KEY = rotated["CREDENTIAL_SIGNING_KEY"]
    settings.CREDENTIAL_RETIRED_KEYS = rotated["CREDENTIAL_RETIRED_KEYS"].split(",")
    awards["did:web after rotation"] = issued_award(
        badge, awarded_by=staff, email="rotated@example.edu"
    )
    # The list as published now, signed by the new key, serves all three.
    publish(awards["did:web"])
    did = awards["did:web"].status_list.issuer_did
    return verify_with_digital_bazaar(
        {name: award.credential for name, award in awards.items()},
        did_documents={did: keys.did_document(did)},
        status_lists=lists,
    )


def test_issued_awards_verify_with_digital_bazaar_and_revoked_ones_fail(verdicts):
    valid = {"verified": True, "revoked": False, "error": None}
    assert verdicts["did:key"] == valid
    assert verdicts["did:web"] == valid
    assert verdicts["did:web after rotation"] == valid
    # Its proof holds and its list was checked: the list says it is revoked.
    assert verdicts["did:web revoked"] == {**valid, "revoked": True}
