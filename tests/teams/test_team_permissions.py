"""Role × action matrix over every team view, and query counts on the team page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams import services
from teams.models import EmployerInput, Meeting, Membership, Role
from tests.factories import UserFactory, campus
from tests.matrix import TEAM_PERSONAS, cases, check, expect

PERSONAS = TEAM_PERSONAS
MANAGERS = {"lead", "staff", "admin"}
RECORD_KEEPERS = {"lead", "teammate", "staff", "admin"}


@pytest.fixture
def world(team, staff, teammate):
    """A team with a pending invitation, an open call with a request, a meeting and
    a second member who can be made lead or removed."""
    invitation, token = services.invite(
        team, by=staff, email="ivy@example.edu", role=Role.FACULTY, campus=campus("UMF")
    )
    call = services.open_call(team, by=staff, sought="Faculty")
    join = services.request_to_join(
        call, UserFactory(), campus=campus("UMM"), organisation="", message="Me"
    )
    meeting = Meeting.objects.create(team=team, held_on="2026-10-01", agenda="Plan")
    other = Membership.objects.create(
        team=team, user=UserFactory(), role=Role.FACULTY, campus=campus("USM")
    )
    return {
        "pk": team.proposal_id,
        "invitation": invitation,
        "token": token,
        "call": call,
        "join": join,
        "meeting": meeting,
        "other": other,
    }


EVERYONE = set(PERSONAS[1:])
SEE_TEAM = EVERYONE - {"outsider"}
MATRIX = [
    (
        "detail",
        "get",
        lambda w: reverse("teams:detail", args=[w["pk"]]),
        expect(SEE_TEAM, 200),
    ),
    (
        "invite",
        "get",
        lambda w: reverse("teams:invite", args=[w["pk"]]),
        expect(MANAGERS, 200),
    ),
    (
        "people lookup",
        "get",
        lambda w: reverse("teams:people", args=[w["pk"]]) + "?q=ivy",
        expect(MANAGERS, 200),
    ),
    (
        "revoke",
        "post",
        lambda w: reverse("teams:revoke", args=[w["pk"], w["invitation"].pk]),
        expect(MANAGERS, 302),
    ),
    (
        "make lead",
        "post",
        lambda w: reverse("teams:make_lead", args=[w["pk"], w["other"].pk]),
        expect(MANAGERS, 302),
    ),
    (
        "remove member",
        "post",
        lambda w: reverse("teams:remove_member", args=[w["pk"], w["other"].pk]),
        expect(MANAGERS, 302),
    ),
    (
        "open call",
        "get",
        lambda w: reverse("teams:open_call", args=[w["pk"]]),
        expect({"staff", "admin"}, 200),
    ),
    (
        "close call",
        "post",
        lambda w: reverse("teams:close_call", args=[w["pk"], w["call"].pk]),
        expect({"staff", "admin"}, 302),
    ),
    (
        "decide request",
        "post",
        lambda w: reverse(
            "teams:decide_request", args=[w["pk"], w["join"].pk, "refuse"]
        ),
        expect(MANAGERS, 302),
    ),
    (
        "new meeting",
        "get",
        lambda w: reverse("teams:meeting_new", args=[w["pk"]]),
        expect(RECORD_KEEPERS, 200),
    ),
    (
        "edit meeting",
        "get",
        lambda w: reverse("teams:meeting_edit", args=[w["pk"], w["meeting"].pk]),
        expect(RECORD_KEEPERS, 200),
    ),
    (
        "employer input",
        "get",
        lambda w: reverse("teams:employer_input_new", args=[w["pk"]]),
        expect(RECORD_KEEPERS, 200),
    ),
    (
        "join call",
        "get",
        lambda w: reverse("teams:join", args=[w["call"].pk]),
        expect(EVERYONE, 200),
    ),
    (
        "invitation",
        "get",
        lambda w: reverse("teams:invitation", args=[w["token"]]),
        {**expect(EVERYONE, 200), "anonymous": 200},
    ),
]
CASES = cases(MATRIX, PERSONAS)


@pytest.mark.parametrize(("name", "method", "url", "persona", "expected"), CASES)
def test_team_permission_matrix(
    client, personas, proposer, teammate, world, name, method, url, persona, expected
):
    users = {**personas, "lead": proposer, "teammate": teammate, "anonymous": None}
    check(client, users[persona], method, url(world), expected)


def test_team_of_a_proposal_without_team_is_404(client, staff, proposal):
    client.force_login(staff)
    assert client.get(reverse("teams:detail", args=[proposal.pk])).status_code == 404


def test_unknown_decision_is_404(client, staff, world):
    client.force_login(staff)
    url = reverse("teams:decide_request", args=[world["pk"], world["join"].pk, "maybe"])
    assert client.post(url).status_code == 404


@pytest.mark.parametrize(
    "url_name", ["teams:revoke", "teams:make_lead", "teams:remove_member"]
)
def test_actions_refuse_get(client, staff, world, url_name):
    client.force_login(staff)
    target = world["invitation"] if url_name == "teams:revoke" else world["other"]
    assert (
        client.get(reverse(url_name, args=[world["pk"], target.pk])).status_code == 405
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _grow(team, staff, n):
    for i in range(n):
        membership = Membership.objects.create(
            team=team, user=UserFactory(), role=Role.FACULTY, campus=campus("USM")
        )
        meeting = Meeting.objects.create(
            team=team, held_on="2026-10-01", agenda=f"M{i}"
        )
        meeting.attendees.set(team.memberships.all())
        EmployerInput.objects.create(
            team=team, person="P", organisation="O", given_on="2026-10-01", summary="S"
        )
        services.invite(
            team,
            by=staff,
            email=f"p{i}@example.edu",
            role=Role.FACULTY,
            campus=campus("UMF"),
        )
        assert membership.pk


@pytest.mark.parametrize("persona", ["staff", "proposer", "teammate"])
def test_team_page_queries_do_not_grow(client, request, team, staff, world, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("teams:detail", args=[team.proposal_id])
    _grow(team, staff, 1)
    few = _count(client, url)
    _grow(team, staff, 6)
    assert _count(client, url) == few


def test_team_page_query_budget(client, staff, team, world, django_assert_num_queries):
    client.force_login(staff)
    # session, the user with its roles, proposal, team, expire overdue
    # invitations, members,
    # meetings, their attendees, employer input, open call, team composition,
    # meeting count, invitations, join requests, unread count; whether there is a
    # template to link to, and the choices of the forms opened in place (the
    # invitation's campuses, the meeting's attendees)
    with django_assert_num_queries(18):
        client.get(reverse("teams:detail", args=[team.proposal_id]))
