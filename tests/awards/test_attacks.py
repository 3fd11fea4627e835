"""What an attack on signed awards found: each defect, as the attacker tried it."""

import io
import json
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from openbadges_bakery import unbake

from accounts import verification
from award_imports import csvfile
from awards import services, validators
from credentials import badge_image
from credentials.proofs import dataintegrity, keys
from tests.factories import UserFactory, issued_award, published_credential


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


ODD_LINKS = [
    "https://example.edu/a|b",
    "https://example.edu/{x}",
    "https://example.edu/a^b",
    'https://example.edu/"q"',
    "https://example.edu/<b>",
    "https://example.edu/a\\b",
    "https://example.edu/100%",
]


@pytest.mark.parametrize("link", ODD_LINKS)
def test_an_evidence_link_verifiers_read_differently_is_refused_everywhere(
    client, staff, badge, link
):
    with pytest.raises(ValidationError) as refused:
        issued_award(badge, evidence_url=link)
    assert "web address cannot hold" in refused.value.message_dict["evidence_url"][0]

    client.force_login(staff)
    data = {
        "recipients": "Ada Lovelace <ada@example.edu>",
        "issued_on": timezone.localdate().isoformat(),
        "evidence_url": link,
        "evidence_narrative": "",
        "batch": "b",
    }
    page = client.post(reverse("awards:badge", args=[badge.pk]), data)
    assert (
        page.status_code == 200 and "web address cannot hold" in page.content.decode()
    )
    assert not badge.awards.exists()

    quoted = link.replace('"', '""')
    line = f'Ada,ada@example.edu,"{quoted}"\n'
    reading = csvfile.read(f"name,email,evidence link\n{line}".encode())
    assert [p.message for p in reading.problems if "cannot hold" in p.message]


def test_a_link_with_a_space_says_which_characters(db):
    with pytest.raises(ValidationError) as refused:
        validators.evidence_link("https://example.edu/my work")
    assert "U+0020" in refused.value.messages[0]


@pytest.mark.parametrize(
    "link", ["https://example.edu/a%20b?x=1&y=[2]#top", "https://exämple.edu/é"]
)
def test_rfc_3986_and_iri_links_are_taken(badge, link):
    assert issued_award(badge, evidence_url=link).evidence_url == link


@pytest.mark.parametrize("name", ["ob2.svg", "ob2.png", "ob3.svg", "ob3.png"])
def test_evidence_that_would_end_a_cdata_section_bakes(client, badge, name):
    award = issued_award(badge, evidence_narrative="a]]>b <x/> ]]]]><![CDATA[>")
    response = client.get(award.file_url(name))
    assert response.status_code == 200
    image = response.content
    if name.startswith("ob2"):
        baked = unbake(io.BytesIO(image))
        # The reference baker bakes a hosted assertion's address, or its JSON.
        if not baked.startswith("http"):
            narrative = json.loads(baked)["evidence"]["narrative"]
            assert narrative == "a]]>b <x/> ]]]]><![CDATA[>"
    else:
        assert badge_image.unbake_credential(image) == award.credential


def test_public_award_pages_stay_public_for_an_unconfirmed_account(
    client, badge, django_capture_on_commit_callbacks
):
    award = issued_award(badge, email="ada@maine.edu")
    signup = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@maine.edu",
        "username": "ada",
        "password1": "an-unusual-passphrase-42",
        "password2": "an-unusual-passphrase-42",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signup"), signup)
    user = User.objects.get(username="ada")
    assert not verification.is_verified(user)
    claim = reverse("awards:claim", args=[services.claim_token(award)])
    for url in (
        claim,
        award.get_absolute_url(),
        award.file_url("credential.json"),
        award.file_url("ob3.png"),
        award.status_list.get_absolute_url(),
        reverse("awards:verify_file"),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("awards:index")).url == reverse("dashboard")
    # Accepting works; only a confirmed account is linked to the award.
    assert client.post(claim).status_code == 302
    award.refresh_from_db()
    assert award.claimed_at is not None and award.recipient is None


def test_the_issuer_did_document_stays_public_for_an_unconfirmed_account(
    client, settings, badge
):
    settings.CREDENTIAL_DID_METHOD = "web"
    settings.SITE_URL = "https://mc.example.edu"
    user = UserFactory()
    verification.require_verification(user)
    client.force_login(user)
    session = client.session
    session[verification.SESSION_FLAG] = True
    session.save()
    url = reverse("issuers:did", args=[badge.proposal.issuer.slug])
    assert client.get(url).status_code == 200


def test_the_checker_recognises_the_sites_own_ob2_files(client, staff, badge):
    award = issued_award(badge, name="Ada Lovelace")
    files = {
        name: client.get(award.file_url(name)).content
        for name in ("assertion.json", "ob2.png", "ob2.svg")
    }
    hosted = award.file_url("assertion.json")
    for name, data in files.items():
        page = _verify_file(client, data, name)
        assert "issued to Ada Lovelace" in page and "it is valid." in page, name
        assert "verified at its hosted address" in page
        assert "changed after it was signed" not in page
        assert "differs from the assertion" not in page
    services.revoke(award, by=staff, reason="Plagiarised capstone.")
    for name, data in files.items():
        page = _verify_file(client, data, name)
        assert "because: Plagiarised capstone." in page, name
        assert "it is valid." not in page
    assert hosted.endswith("assertion.json")

    elsewhere = json.loads(files["assertion.json"])
    elsewhere["id"] = "https://badges.example.org/a/1"
    page = _verify_file(client, json.dumps(elsewhere).encode())
    assert "is not hosted by this site" in page and "Ada Lovelace" not in page


@pytest.mark.parametrize(
    "name", ["credential.json", "assertion.json", "ob2.png", "ob2.svg", "ob3.png"]
)
def test_downloads_are_named_after_the_badge_with_their_extension(client, badge, name):
    award = issued_award(badge)
    response = client.get(award.file_url(name) + "?download=1")
    expected = f'attachment; filename="{slugify(badge.name)}-{name}"'
    assert response["Content-Disposition"] == expected
    assert client.get(award.file_url(name))["Content-Disposition"] == "inline"


def test_a_csv_with_cr_only_line_endings_is_read(db):
    reading = csvfile.read(
        b"name,email\rAda,ada@example.edu\rGrace,grace@example.edu\r"
    )
    assert reading.problems == []
    assert [row.name for row in reading.rows] == ["Ada", "Grace"]


def test_a_day_earned_before_2000_is_refused_everywhere(client, staff, badge):
    with pytest.raises(ValidationError) as refused:
        issued_award(badge, issued_on=date(1926, 9, 30))
    assert "check the year" in refused.value.message_dict["issued_on"][0]
    client.force_login(staff)
    data = {
        "recipients": "Ada Lovelace <ada@example.edu>",
        "issued_on": "1926-09-30",
        "evidence_url": "",
        "evidence_narrative": "",
        "batch": "b",
    }
    page = client.post(reverse("awards:badge", args=[badge.pk]), data)
    assert "1926-09-30 is before 2000-01-01: check the year." in page.content.decode()
    reading = csvfile.read(b"name,email,date\nAda,ada@example.edu,09/30/1926\n")
    assert [str(p) for p in reading.problems] == [
        "Row 2, date: 1926-09-30 is before 2000-01-01: check the year."
    ]
    assert issued_award(badge, issued_on=date(2000, 1, 1)).issued_on.year == 2000
