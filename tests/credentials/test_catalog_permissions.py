"""The catalog and every export are public for published credentials, to everyone
signed in or not; nothing of a credential that is not public answers."""

import pytest
from django.urls import reverse

from tests.factories import published_credential
from tests.matrix import cases, check

PERSONAS = ["anonymous", "outsider", "proposer", "staff", "member", "chair", "admin"]
EVERYONE_200 = dict.fromkeys(PERSONAS, 200)
EVERYONE_404 = dict.fromkeys(PERSONAS, 404)


def _badge(w, name, credential="published"):
    badge = w[credential].catalog_badges.first()
    return reverse("catalog:export", args=[badge.proposal_id, badge.key, name])


MATRIX = [
    ("catalog", "get", lambda w: reverse("catalog:list"), EVERYONE_200),
    (
        "credential",
        "get",
        lambda w: reverse("catalog:credential", args=[w["published"].pk]),
        EVERYONE_200,
    ),
    (
        "credential not yet published",
        "get",
        lambda w: reverse("catalog:credential", args=[w["drafting"].pk]),
        EVERYONE_404,
    ),
    ("export", "get", lambda w: _badge(w, "achievement.json"), EVERYONE_200),
    (
        "export not yet approved",
        "get",
        lambda w: _badge(w, "image.png", "drafting"),
        EVERYONE_404,
    ),
    (
        "issuer",
        "get",
        lambda w: reverse("catalog:issuer", args=["ums", "issuer.json"]),
        EVERYONE_200,
    ),
    (
        "summary",
        "get",
        lambda w: reverse("catalog:summary", args=[w["published"].pk]),
        EVERYONE_200,
    ),
    (
        "summary not yet published",
        "get",
        lambda w: reverse("catalog:summary", args=[w["drafting"].pk]),
        EVERYONE_404,
    ),
    (
        "catalog post",
        "post",
        lambda w: reverse("catalog:list"),
        dict.fromkeys(PERSONAS, 405),
    ),
]


@pytest.fixture
def world(db):
    return {
        "published": published_credential(),
        "drafting": published_credential(state="drafting"),
    }


@pytest.mark.parametrize(
    ("name", "method", "url", "persona", "expected"), cases(MATRIX, PERSONAS)
)
def test_catalog_permission_matrix(
    client, personas, world, name, method, url, persona, expected
):
    user = None if persona == "anonymous" else personas[persona]
    check(client, user, method, url(world), expected)
