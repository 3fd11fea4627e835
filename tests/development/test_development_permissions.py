"""Role × action matrix over every development pathway page."""

import pytest
from django.urls import reverse

from development.models import Evidence, Item
from tests.matrix import LOGIN, TEAM_PERSONAS, cases, check

SIGNED_IN = set(TEAM_PERSONAS) - {"anonymous"}
STAFF = {"staff", "admin"}
TEAM = {"lead", "teammate"}


def only(allowed: set[str], ok: int, *, outsider: int = 403) -> dict:
    """`ok` for the allowed, 403 for the other signed-in personas (the outsider:
    `outsider`), the sign-in page for anonymous visitors."""
    expected = {p: ok if p in allowed else 403 for p in TEAM_PERSONAS}
    expected["anonymous"] = LOGIN
    if "outsider" not in allowed:
        expected["outsider"] = outsider
    return expected


EVIDENCE = {"item": "level1_reflection", "text": "What I learned."}
CHECKLIST = {"issuing_option": "Credly", "communication_plan": "Campus news."}
MATRIX = [
    ("my progress", "get", lambda w: reverse("development:mine"), only(SIGNED_IN, 200)),
    (
        "add my evidence",
        "post",
        lambda w: reverse("development:mine"),
        only(SIGNED_IN, 302),
    ),
    ("who is ready", "get", lambda w: reverse("development:staff"), only(STAFF, 200)),
    (
        "a person's progress",
        "get",
        lambda w: reverse("development:person", args=[w["person"].pk]),
        only(STAFF, 200),
    ),
    (
        "record evidence for a person",
        "post",
        lambda w: reverse("development:person", args=[w["person"].pk]),
        only(STAFF, 302),
    ),
    (
        "verify before awarding",
        "get",
        lambda w: reverse("development:award") + f"?award={w['person'].pk}:1",
        only(STAFF, 200),
    ),
    (
        "award",
        "post",
        lambda w: reverse("development:award"),
        only(STAFF, 302),
    ),
    (
        "remove evidence",
        "post",
        lambda w: reverse("development:remove_evidence", args=[w["evidence"].pk]),
        # Someone else's evidence is not there for them at all.
        {
            **dict.fromkeys(SIGNED_IN, 404),
            "anonymous": LOGIN,
            "teammate": 302,
            "staff": 302,
            "admin": 302,
        },
    ),
    (
        "remove evidence is POST only",
        "get",
        lambda w: reverse("development:remove_evidence", args=[w["evidence"].pk]),
        dict.fromkeys(TEAM_PERSONAS, 405),
    ),
    (
        "launch checklist",
        "get",
        lambda w: reverse("development:launch", args=[w["pk"]]),
        only(SIGNED_IN - {"outsider"}, 200, outsider=404),
    ),
    (
        "save the launch checklist",
        "post",
        lambda w: reverse("development:launch", args=[w["pk"]]),
        only(TEAM, 302, outsider=404),
    ),
]
DATA = {"add my evidence": EVIDENCE, "record evidence for a person": EVIDENCE}
# Not ready: refused with a message and a redirect, whoever may award.
AWARD = {"award": {"award": ["999999:1"]}}


@pytest.fixture
def world(approved, teammate):
    evidence = Evidence.objects.create(
        person=teammate, item=Item.STARTER, text="Mine", recorded_by=teammate
    )
    return {"pk": approved.pk, "person": teammate, "evidence": evidence}


@pytest.mark.parametrize(
    ("name", "method", "url", "persona", "expected"), cases(MATRIX, TEAM_PERSONAS)
)
def test_development_permission_matrix(
    client, personas, proposer, teammate, world, name, method, url, persona, expected
):
    users = {**personas, "lead": proposer, "teammate": teammate, "anonymous": None}
    data = {**DATA, **AWARD}.get(name, CHECKLIST if method == "post" else None)
    check(client, users[persona], method, url(world), expected, data)


def test_a_person_who_does_not_exist_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("development:person", args=[999_999])).status_code == 404


@pytest.mark.parametrize("url_name", ["development:staff"])
def test_pages_that_only_show_refuse_post(client, staff, url_name):
    client.force_login(staff)
    assert client.post(reverse(url_name)).status_code == 405


def test_evidence_staff_recorded_is_not_the_persons_to_remove(client, teammate, staff):
    piece = Evidence.objects.create(
        person=teammate, item=Item.LEVEL1_QUIZ, score=90, by_staff=True, text="Quiz"
    )
    client.force_login(teammate)
    url = reverse("development:remove_evidence", args=[piece.pk])
    assert client.post(url).status_code == 404
    client.force_login(staff)
    assert client.post(url).status_code == 302
    assert not Evidence.objects.exists()
