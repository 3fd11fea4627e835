"""Every course-mapping address, as every role: the instructor works on her own
mapping, staff review every one, the committee reads them, a signed-in account with
no part gets 404 at every address of a mapping (403 on staff pages), anonymous
visitors go to the sign-in page, and action addresses answer only POST."""

import pytest
from django.urls import reverse

from courses.models import CourseMapping, MappingComment
from tests.matrix import LOGIN, cases, check

PERSONAS = ["anonymous", "outsider", "instructor", "staff", "member", "chair", "admin"]


def expected(ok: int, allowed: set[str], readers=("staff", "member", "chair", "admin")):
    """`ok` for `allowed`; 403 for the other readers of the record; 404 for a
    signed-in account that may not read it; the sign-in page for anonymous."""
    result = {"anonymous": LOGIN}
    for persona in PERSONAS[1:]:
        if persona in allowed:
            result[persona] = ok
        elif persona in readers or persona == "instructor":
            result[persona] = 403
        else:
            result[persona] = 404
    return result


SIGNED_IN = {"anonymous": LOGIN, **dict.fromkeys(PERSONAS[1:], 200)}
STAFF_PAGE = {
    "anonymous": LOGIN,
    **dict.fromkeys(PERSONAS[1:], 403),
    "staff": 200,
    "admin": 200,
}
READERS = {"instructor", "staff", "member", "chair", "admin"}
STAFF = {"staff", "admin"}


def _url(name, *args):
    return lambda w: reverse(f"courses:{name}", args=[w.get(a, a) for a in args])


MATRIX = [
    ("list", "get", _url("list"), SIGNED_IN),
    ("new", "get", _url("new"), SIGNED_IN),
    ("new post (invalid: shown again)", "post", _url("new"), SIGNED_IN),
    ("training requests", "get", _url("training"), STAFF_PAGE),
    ("detail", "get", _url("detail", "draft"), expected(200, READERS)),
    ("edit", "get", _url("edit", "draft"), expected(200, {"instructor"})),
    ("edit post", "post", _url("edit", "draft"), expected(302, {"instructor"})),
    (
        "submit",
        "get",
        _url("transition", "draft", "submit"),
        expected(200, {"instructor"}),
    ),
    (
        "approve",
        "post",
        _url("transition", "submitted", "approve"),
        expected(302, STAFF),
    ),
    (
        "retire",
        "post",
        _url("transition", "approved", "retire"),
        expected(302, STAFF | {"instructor"}),
    ),
    ("comment", "post", _url("comment", "submitted"), expected(302, STAFF)),
    (
        "resolve",
        "post",
        _url("resolve", "changes", "comment"),
        expected(302, {"instructor"}),
    ),
    (
        "training update",
        "post",
        _url("training_update", "draft"),
        expected(302, STAFF),
    ),
    (
        "award to learners",
        "get",
        _url("award", "approved"),
        expected(200, {"instructor"}),
    ),
    (
        "award to learners post",
        "post",
        _url("award", "approved"),
        expected(302, {"instructor"}),
    ),
    (
        "comment is POST only",
        "get",
        _url("comment", "submitted"),
        {"anonymous": 405, **dict.fromkeys(PERSONAS[1:], 405)},
    ),
]

DATA = {
    "edit post": lambda w: {
        "kind": "course",
        "course_code": "ENG 102",
        "course_title": "Composition II",
        "campus": w["campus"],
        "starts": "Spring 2028",
        "delivery": "online",
        "learners_per_year": "40",
        "badges": [w["badge"]],
    },
    "approve": lambda w: {"expected_state": "submitted"},
    "retire": lambda w: {"expected_state": "approved", "note": "Course redesigned."},
    "comment": lambda w: {"badge": str(w["badge"]), "field": "c1", "body": "Rubric?"},
    "training update": lambda w: {"status": "scheduled", "on": "2027-01-20"},
    "award to learners post": lambda w: {
        "badge": w["badge"],
        "recipients": "Lee Learner, lee@example.edu",
        "issued_on": "2026-11-02",
        "batch": "matrix",
    },
}


@pytest.fixture
def world(mapping_in, instructor, staff, badge):
    changes = mapping_in("changes_requested")
    comment = MappingComment.objects.create(
        mapping=changes, submission=1, badge=str(badge.pk), field="c1", body="Rubric?"
    )
    draft = mapping_in("draft")
    return {
        "draft": draft.pk,
        "submitted": mapping_in("submitted").pk,
        "approved": mapping_in("approved").pk,
        "changes": changes.pk,
        "comment": comment.pk,
        "badge": badge.pk,
        "campus": draft.campus_id,
    }


@pytest.mark.parametrize(
    ("name", "method", "url", "persona", "expected"), cases(MATRIX, PERSONAS)
)
def test_course_mapping_permission_matrix(
    client, course_personas, world, name, method, url, persona, expected
):
    user = None if persona == "anonymous" else course_personas[persona]
    data = DATA[name](world) if name in DATA else None
    check(client, user, method, url(world), expected, data)


def test_a_refused_action_changes_nothing(client, course_personas, world):
    client.force_login(course_personas["member"])
    client.post(
        reverse("courses:transition", args=[world["submitted"], "approve"]),
        {"expected_state": "submitted"},
    )
    assert CourseMapping.objects.get(pk=world["submitted"]).state == "submitted"


def test_unknown_transition_is_404(client, instructor, world):
    client.force_login(instructor)
    url = reverse("courses:transition", args=[world["draft"], "publish"])
    assert client.get(url).status_code == 404
