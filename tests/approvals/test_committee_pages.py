"""Role × action matrix over the committee pages, and their query counts."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import VotingRound
from proposals.models import Proposal, State
from tests.factories import ProposalFactory, committee_member, complete_draft
from tests.matrix import LOGIN, cases, check

PERSONAS = ["anonymous", "outsider", "proposer", "staff", "member", "chair", "admin"]
COMMITTEE = {"staff", "member", "chair", "admin"}


def _expect(ok, allowed, outsider):
    expected = {p: (ok if p in allowed else 403) for p in PERSONAS}
    expected.update(anonymous=LOGIN, outsider=outsider)
    return expected


MATRIX = [
    (
        "agenda",
        "get",
        lambda r: reverse("committee:agenda"),
        _expect(200, COMMITTEE, 403),
    ),
    (
        "round",
        "get",
        lambda r: reverse("committee:round", args=[r.pk]),
        _expect(200, COMMITTEE, 404),
    ),
    (
        "vote",
        "post",
        lambda r: reverse("committee:action", args=[r.pk, "vote"]),
        # An empty vote is refused and its form shown again.
        _expect(200, {"member", "chair"}, 404),
    ),
    (
        "close confirmation",
        "get",
        lambda r: reverse("committee:close", args=[r.pk]),
        _expect(200, {"chair"}, 404),
    ),
    (
        # Without quorum the confirmation comes back with the reason.
        "close",
        "post",
        lambda r: reverse("committee:close", args=[r.pk]),
        _expect(200, {"chair"}, 404),
    ),
    (
        "unknown action",
        "post",
        lambda r: reverse("committee:action", args=[r.pk, "delete"]),
        {**_expect(404, COMMITTEE, 404), "proposer": 403},
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "persona", "expected"), cases(MATRIX, PERSONAS)
)
def test_committee_permission_matrix(
    client, personas, round_, name, method, url, persona, expected
):
    user = None if persona == "anonymous" else personas[persona]
    check(client, user, method, url(round_), expected)


def test_a_staff_member_cannot_vote_or_close(client, round_, staff):
    client.force_login(staff)
    client.post(
        reverse("committee:action", args=[round_.pk, "vote"]), {"choice": "approve"}
    )
    assert not round_.votes.exists()


def test_round_page_refuses_get_on_actions(client, round_, chair):
    client.force_login(chair)
    assert (
        client.get(reverse("committee:action", args=[round_.pk, "vote"])).status_code
        == 405
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _more_rounds(staff, n):
    for _ in range(n):
        proposal = ProposalFactory(state=State.UNDER_REVIEW)
        complete_draft(proposal)
        services.perform(proposal, "forward_to_committee", user=staff)


def test_agenda_queries_do_not_grow(client, round_, chair, staff):
    client.force_login(chair)
    url = reverse("committee:agenda")
    few = _count(client, url)
    _more_rounds(staff, 5)
    assert _count(client, url) == few


def test_round_page_queries_do_not_grow_with_votes(client, round_, chair, committee):
    client.force_login(chair)
    url = reverse("committee:round", args=[round_.pk])
    services.cast_vote(round_, committee[1], "approve")
    few = _count(client, url)
    for i in range(5):
        voter = committee_member(username=f"extra{i}")
        services.cast_vote(round_, voter, "approve")
        services.add_round_comment(round_, voter, "Agreed")
    assert _count(client, url) == few


def test_demo_has_an_open_round_with_votes_and_closed_rounds_of_every_outcome(db):
    call_command("load_demo", stdout=io.StringIO())
    open_round = VotingRound.objects.open().get()
    assert open_round.votes.count() == 3
    outcomes = set(
        VotingRound.objects.exclude(closed_at=None).values_list("outcome", flat=True)
    )
    assert outcomes == {"approve", "reject", "return_for_revision"}
    marine = Proposal.objects.get(title="Marine Aquaculture Technician")
    assert [r.outcome for r in marine.rounds.order_by("opened_at", "pk")] == [
        "return_for_revision",
        "approve",
    ]


def test_committee_admin_pages_render(client, site_admin, round_):
    client.force_login(site_admin)
    for url in [
        reverse("admin:approvals_committeeterm_changelist"),
        reverse("admin:approvals_votinground_changelist"),
        reverse("admin:approvals_votinground_change", args=[round_.pk]),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("action", "field", "data"),
    [("comment", "body", {}), ("vote", "comment", {"choice": "approve"})],
)
def test_an_over_long_comment_is_shown_again_not_lost(
    client, round_, member, action, field, data
):
    typed = "Please add the Level 3 rubric. " * 200
    client.force_login(member)
    response = client.post(
        reverse("committee:action", args=[round_.pk, action]), {**data, field: typed}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 5000 characters" in html and typed.strip() in html
    assert not round_.comments.exists() and not round_.votes.exists()


@pytest.mark.parametrize(
    ("days", "refusal"),
    [
        (0, "at least until tomorrow"),
        (-3, "at least until tomorrow"),
        (181, "within 180 days"),
    ],
)
def test_an_extension_needs_a_deadline_ahead(client, round_, chair, days, refusal):
    before = round_.deadline
    client.force_login(chair)
    deadline = timezone.localdate() + datetime.timedelta(days=days)
    response = client.post(
        reverse("committee:action", args=[round_.pk, "extend"]),
        {"deadline": deadline.isoformat()},
    )
    assert response.status_code == 200 and refusal in response.content.decode()
    round_.refresh_from_db()
    assert round_.deadline == before


def test_without_quorum_the_close_page_offers_more_time_not_a_close(
    client, round_, chair
):
    VotingRound.objects.filter(pk=round_.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(chair)
    page = client.get(reverse("committee:round", args=[round_.pk]))
    assert reverse("committee:close", args=[round_.pk]) not in page.content.decode()
    week = timezone.localdate() + datetime.timedelta(days=7)
    assert page.context["extend_form"].initial["deadline"] == week
    html = client.get(reverse("committee:close", args=[round_.pk])).content.decode()
    assert "Close the round and record the decision" not in html
    assert "Extend the deadline" in html
