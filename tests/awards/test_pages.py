"""The award pages at work: staff award several people at once (all or no one, a
second submission awards no one twice) and revoke; the recipient claims from the
emailed link; the hosted OB 2.0 Assertion and the baked images round-trip; anyone
verifies an award, or a file, and is told the result in words; export_awards."""

import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openbadges_bakery import unbake

from awards import documents, services
from awards.models import Award
from credentials import badge_image, openbadges
from credentials.proofs import dataintegrity, keys, statuslist
from tests.factories import UserFactory, issued_award, published_credential


@pytest.fixture
def badge(db):
    return published_credential().catalog_badges.order_by("position").first()


def _award_form(client, badge, recipients: str, batch="batch-1", **extra):
    data = {
        "recipients": recipients,
        "issued_on": timezone.localdate().isoformat(),
        "evidence_url": "",
        "evidence_narrative": "",
        "batch": batch,
        **extra,
    }
    return client.post(reverse("awards:badge", args=[badge.pk]), data)


def test_staff_award_several_people_who_each_get_a_claim_link(
    client, staff, badge, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _award_form(
            client,
            badge,
            "Ada Lovelace, ada@example.edu\nGrace Hopper\tgrace@example.edu\n",
            evidence_narrative="Capstone project.",
        )
    assert response.status_code == 302
    awards = Award.objects.order_by("recipient_name")
    assert [(a.recipient_name, a.recipient_email) for a in awards] == [
        ("Ada Lovelace", "ada@example.edu"),
        ("Grace Hopper", "grace@example.edu"),
    ]
    assert all(a.awarded_by == staff for a in awards)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ada@example.edu",
        "grace@example.edu",
    ]
    ada = awards[0]
    [message] = [m for m in mail.outbox if m.to == ["ada@example.edu"]]
    assert message.subject == f"You have earned the {badge.name} badge"
    assert reverse("awards:claim", args=[services.claim_token(ada)]) in message.body

    # The same form sent again (a double click, a reload) awards no one twice.
    with django_capture_on_commit_callbacks(execute=True):
        _award_form(client, badge, "Ada Lovelace, ada@example.edu")
    assert Award.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_bad_line_awards_no_one_and_keeps_what_was_typed(client, staff, badge):
    client.force_login(staff)
    typed = "Ada Lovelace, ada@example.edu\nGrace Hopper grace@example.edu\nBob, bob@"
    response = _award_form(client, badge, typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 2: write the name, a comma, then the email address." in page
    assert "Line 3: “bob@” is not an email address." in page
    assert "Grace Hopper grace@example.edu" in page
    assert not Award.objects.exists()
    assert mail.outbox == []


def test_the_recipient_claims_downloads_and_adds_to_linkedin(client, badge):
    award = issued_award(badge, issued_on=timezone.localdate().replace(day=1))
    url = reverse("awards:claim", args=[services.claim_token(award)])
    page = client.get(url).content.decode()
    assert "it is valid." in page
    linkedin = re.search(r'href="(https://www.linkedin.com/profile/add\?[^"]+)"', page)
    query = parse_qs(urlsplit(linkedin.group(1).replace("&amp;", "&")).query)
    assert query["name"] == [badge.name]
    assert query["organizationName"] == [badge.proposal.issuer.name]
    assert query["issueYear"] == [str(award.issued_on.year)]
    assert query["issueMonth"] == [str(award.issued_on.month)]
    assert query["certId"] == [str(award.uuid)]
    assert query["certUrl"] == [openbadges.absolute(award.get_absolute_url())]
    for name in ("credential.json", "ob3.png", "ob2.svg"):
        assert f"{award.file_url(name)}?download=1" in page

    owner = UserFactory(email="ADA.learner@example.edu")
    client.force_login(owner)
    assert client.post(url).status_code == 302
    award.refresh_from_db()
    assert award.claimed_at is not None and award.recipient == owner
    first = award.claimed_at
    client.post(url)
    award.refresh_from_db()
    assert award.claimed_at == first


def test_the_hosted_assertion_is_valid_and_gone_once_revoked(client, staff, badge):
    award = issued_award(badge, evidence_url="https://portfolio.example.edu/ada")
    response = client.get(award.file_url("assertion.json"))
    assertion = json.loads(response.content)
    assert response.status_code == 200
    assert openbadges.ob2_problems(assertion, "Assertion") == []
    assert assertion["recipient"]["identity"] == documents.identity_hash(
        award.recipient_email, assertion["recipient"]["salt"]
    )
    assert assertion["verification"] == {"type": "hosted"}

    services.revoke(award, by=staff, reason="Issued to the wrong person.")
    response = client.get(award.file_url("assertion.json"))
    assert response.status_code == 410
    assert json.loads(response.content) == {
        "@context": openbadges.OB2_CONTEXT,
        "type": "Assertion",
        "id": assertion["id"],
        "revoked": True,
        "revocationReason": "Issued to the wrong person.",
    }
    assert client.get(award.file_url("ob3.png")).status_code == 410


@pytest.mark.parametrize("name", ["ob2.png", "ob2.svg", "ob3.png", "ob3.svg"])
def test_baked_images_round_trip(client, badge, name):
    award = issued_award(badge)
    image = client.get(award.file_url(name)).content
    if name.startswith("ob2"):
        baked = unbake(io.BytesIO(image))
        # The reference baker bakes a hosted assertion's address, or its JSON.
        found = baked if baked.startswith("http") else json.loads(baked)["id"]
        assert found == documents.award_url(award, "assertion.json")
    else:
        assert badge_image.unbake_credential(image) == award.credential


def _verify_file(client, data: bytes, name: str) -> str:
    upload = io.BytesIO(data)
    upload.name = name
    response = client.post(reverse("awards:verify_file"), {"file": upload})
    assert response.status_code == 200
    return response.content.decode()


def test_verification_says_the_result_in_words(client, staff, badge):
    award = issued_award(badge, name="Ada Lovelace")
    page = client.get(award.get_absolute_url()).content.decode()
    assert (
        f"This {badge.name} badge was issued to Ada Lovelace by "
        f"{badge.proposal.issuer.name} on"
    ) in page
    assert "it is valid." in page

    baked = client.get(award.file_url("ob3.png")).content
    assert "it is valid." in _verify_file(client, baked, "badge.png")
    changed = {**award.credential, "awardedDate": "2019-01-01T00:00:00Z"}
    page = _verify_file(client, json.dumps(changed).encode(), "badge.json")
    assert "This file was changed after it was signed" in page
    for junk in (b"\x89PNG not really", b"<svg", b"[" * 100_000, b"\xff\xfe"):
        page = _verify_file(client, junk, "badge")
        assert "No Open Badges credential or assertion was found in this file." in page

    services.revoke(award, by=staff, reason="Plagiarised capstone.")
    page = client.get(award.get_absolute_url()).content.decode()
    assert "it was revoked on" in page and "because: Plagiarised capstone." in page
    assert "it is valid." not in page


def test_revoking_from_the_page_and_a_stale_second_revocation(client, staff, badge):
    award = issued_award(badge)
    client.force_login(staff)
    url = reverse("awards:revoke", args=[award.uuid])
    response = client.post(url, {"reason": "Duplicate award."})
    assert response.status_code == 302
    listed = services.status_list_credential(award.status_list)
    assert statuslist.status_problems(award.credential, listed) != []
    # A second revoker on a page opened before: told, and the first reason is kept.
    response = client.post(url, {"reason": "Another reason."})
    page = response.content.decode()
    assert "It was revoked on" in page and "Duplicate award." in page
    award.refresh_from_db()
    assert award.revocation_reason == "Duplicate award."


def test_the_awards_page_needs_the_same_queries_for_many_awards(client, staff, badge):
    client.force_login(staff)
    url = reverse("awards:badge", args=[badge.pk])
    issued_award(badge, awarded_by=staff)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        issued_award(badge, email=f"l{n}@example.edu", awarded_by=UserFactory())
    services.revoke(badge.awards.first(), by=staff, reason="Test.")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_rotated_did_web_key_keeps_verifying_what_it_signed(settings, badge):
    settings.CREDENTIAL_DID_METHOD = "web"
    settings.SITE_URL = "https://mc.example.edu"
    before = issued_award(badge)
    rotated = keys.rotation()
    settings.CREDENTIAL_SIGNING_KEY = rotated["CREDENTIAL_SIGNING_KEY"]
    settings.CREDENTIAL_RETIRED_KEYS = rotated["CREDENTIAL_RETIRED_KEYS"].split(",")
    after = issued_award(badge, email="after@example.edu")
    assert before.status_list == after.status_list
    assert dataintegrity.proof_problems(before.credential) == []
    assert dataintegrity.proof_problems(after.credential) == []
    assert (
        before.credential["proof"][0]["verificationMethod"]
        != after.credential["proof"][0]["verificationMethod"]
    )
    listed = services.status_list_credential(before.status_list)
    assert statuslist.status_problems(before.credential, listed) == []


def test_export_awards_writes_each_signed_credential(tmp_path, badge):
    awards = [issued_award(badge, email=f"l{n}@example.edu") for n in range(2)]
    call_command("export_awards", str(tmp_path), stdout=io.StringIO())
    written = {path.name: json.loads(path.read_text()) for path in tmp_path.iterdir()}
    assert written == {f"{a.uuid}.json": a.credential for a in awards}


STATES = ("issued", "claimed", "revoked")
# (action, {state: (status code, what the award is afterwards)})
TABLE = [
    ("claim", {"issued": (302, "claimed"), "claimed": (302, "claimed"),
               "revoked": (302, "revoked")}),
    ("revoke", {"issued": (302, "revoked"), "claimed": (302, "revoked"),
                "revoked": (200, "revoked")}),
    ("ob3.png", {"issued": (200, "issued"), "claimed": (200, "claimed"),
                 "revoked": (410, "revoked")}),
    ("assertion.json", {"issued": (200, "issued"), "claimed": (200, "claimed"),
                        "revoked": (410, "revoked")}),
]  # fmt: skip


def _state(award) -> str:
    award.refresh_from_db()
    if award.is_revoked:
        return "revoked"
    return "claimed" if award.claimed_at else "issued"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("action", "outcomes"), TABLE, ids=[r[0] for r in TABLE])
def test_each_action_in_each_state_of_an_award(
    client, staff, badge, state, action, outcomes
):
    award = issued_award(badge)
    if state == "claimed":
        services.claim(award)
    if state == "revoked":
        services.revoke(award, by=staff, reason="First reason.")
    client.force_login(staff)
    if action == "claim":
        response = client.post(
            reverse("awards:claim", args=[services.claim_token(award)])
        )
    elif action == "revoke":
        url = reverse("awards:revoke", args=[award.uuid])
        response = client.post(url, {"reason": "Second reason."})
    else:
        response = client.get(award.file_url(action))
    expected_status, expected_state = outcomes[state]
    assert response.status_code == expected_status
    assert _state(award) == expected_state
    if state == "revoked":
        assert award.revocation_reason == "First reason."
