"""Who may use each award address. Public, signed in or not (wallets, verifiers
and employers fetch them): the issuer's DID document, status lists, each award's
files and verification page, the check of an uploaded file, and the claim page for
whoever holds its link. Staff only (403 for every other role, sign-in first for
visitors): the awards index, a badge's awards and award form, and revoking."""

import uuid

import pytest
from django.urls import reverse

from awards import services
from tests.factories import issued_award, published_credential, staff_user
from tests.matrix import LOGIN, cases, check

PERSONAS = ["anonymous", "outsider", "proposer", "staff", "member", "chair", "admin"]
EVERYONE_200 = dict.fromkeys(PERSONAS, 200)
EVERYONE_404 = dict.fromkeys(PERSONAS, 404)
STAFF_200 = {
    "anonymous": LOGIN,
    **dict.fromkeys(PERSONAS[1:], 403),
    "staff": 200,
    "admin": 200,
}


def _file(w, name, award="award"):
    return reverse("awards:file", args=[w[award].uuid, name])


MATRIX = [
    (
        "did document",
        "get",
        lambda w: reverse("issuers:did", args=[w["award"].badge.proposal.issuer.slug]),
        EVERYONE_200,
    ),
    (
        "did document of no issuer",
        "get",
        lambda w: reverse("issuers:did", args=["nobody"]),
        EVERYONE_404,
    ),
    (
        "status list",
        "get",
        lambda w: reverse("awards:status_list", args=[w["award"].status_list_id]),
        EVERYONE_200,
    ),
    (
        "unknown status list",
        "get",
        lambda w: reverse("awards:status_list", args=[10**9]),
        EVERYONE_404,
    ),
    ("credential", "get", lambda w: _file(w, "credential.json"), EVERYONE_200),
    ("assertion", "get", lambda w: _file(w, "assertion.json"), EVERYONE_200),
    (
        "revoked assertion",
        "get",
        lambda w: _file(w, "assertion.json", "revoked"),
        dict.fromkeys(PERSONAS, 410),
    ),
    ("baked image", "get", lambda w: _file(w, "ob3.svg"), EVERYONE_200),
    ("unknown file", "get", lambda w: _file(w, "secret.txt"), EVERYONE_404),
    (
        "unknown award",
        "get",
        lambda w: reverse("awards:file", args=[uuid.uuid4(), "credential.json"]),
        EVERYONE_404,
    ),
    (
        "credential post",
        "post",
        lambda w: _file(w, "credential.json"),
        dict.fromkeys(PERSONAS, 405),
    ),
    (
        "verification page",
        "get",
        lambda w: reverse("awards:verify", args=[w["award"].uuid]),
        EVERYONE_200,
    ),
    ("verify a file", "get", lambda w: reverse("awards:verify_file"), EVERYONE_200),
    (
        "verify a file, nothing sent",
        "post",
        lambda w: reverse("awards:verify_file"),
        EVERYONE_200,
    ),
    (
        "claim page",
        "get",
        lambda w: reverse("awards:claim", args=[w["token"]]),
        EVERYONE_200,
    ),
    (
        "claim",
        "post",
        lambda w: reverse("awards:claim", args=[w["token"]]),
        dict.fromkeys(PERSONAS, 302),
    ),
    (
        "claim with a wrong token",
        "get",
        lambda w: reverse("awards:claim", args=["0" * 64]),
        EVERYONE_404,
    ),
    ("awards index", "get", lambda w: reverse("awards:index"), STAFF_200),
    (
        "badge awards",
        "get",
        lambda w: reverse("awards:badge", args=[w["award"].badge_id]),
        STAFF_200,
    ),
    (
        "award, nothing sent",
        "post",
        lambda w: reverse("awards:badge", args=[w["award"].badge_id]),
        STAFF_200,
    ),
    (
        "badge of a credential not yet approved",
        "get",
        lambda w: reverse("awards:badge", args=[w["drafting"].pk]),
        {**STAFF_200, "staff": 404, "admin": 404},
    ),
    (
        "revoke page",
        "get",
        lambda w: reverse("awards:revoke", args=[w["award"].uuid]),
        STAFF_200,
    ),
    (
        "revoke, no reason",
        "post",
        lambda w: reverse("awards:revoke", args=[w["award"].uuid]),
        STAFF_200,
    ),
]


@pytest.fixture
def world(db, settings):
    # Issuers are did:web, as in production, so that their DID documents answer.
    settings.CREDENTIAL_DID_METHOD = "web"
    settings.SITE_URL = "https://mc.example.edu"
    award = issued_award()
    revoked = issued_award(award.badge, email="revoked@example.edu")
    services.revoke(revoked, by=staff_user(), reason="Issued by mistake.")
    drafting = published_credential(state="drafting")
    return {
        "award": award,
        "revoked": revoked,
        "token": services.claim_token(award),
        "drafting": drafting.catalog_badges.first(),
    }


@pytest.mark.parametrize(
    ("name", "method", "url", "persona", "expected"), cases(MATRIX, PERSONAS)
)
def test_award_permission_matrix(
    client, personas, world, name, method, url, persona, expected
):
    user = None if persona == "anonymous" else personas[persona]
    check(client, user, method, url(world), expected)
