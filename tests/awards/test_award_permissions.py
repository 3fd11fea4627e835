"""The public addresses of awards answer everyone, signed in or not (wallets and
verifiers fetch them); unknown awards and lists are 404."""

import uuid

import pytest
from django.urls import reverse

from tests.factories import issued_award
from tests.matrix import cases, check

PERSONAS = ["anonymous", "outsider", "proposer", "staff", "member", "chair", "admin"]
EVERYONE_200 = dict.fromkeys(PERSONAS, 200)
EVERYONE_404 = dict.fromkeys(PERSONAS, 404)

MATRIX = [
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
    (
        "credential",
        "get",
        lambda w: reverse("awards:credential", args=[w["award"].uuid]),
        EVERYONE_200,
    ),
    (
        "unknown credential",
        "get",
        lambda w: reverse("awards:credential", args=[uuid.uuid4()]),
        EVERYONE_404,
    ),
    (
        "credential post",
        "post",
        lambda w: reverse("awards:credential", args=[w["award"].uuid]),
        dict.fromkeys(PERSONAS, 405),
    ),
]


@pytest.fixture
def world(db):
    return {"award": issued_award()}


@pytest.mark.parametrize(
    ("name", "method", "url", "persona", "expected"), cases(MATRIX, PERSONAS)
)
def test_award_permission_matrix(
    client, personas, world, name, method, url, persona, expected
):
    user = None if persona == "anonymous" else personas[persona]
    check(client, user, method, url(world), expected)
