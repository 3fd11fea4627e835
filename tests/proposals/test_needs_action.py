""" "Needs your action": each role's list of what waits on this person, oldest first."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals import actions, services
from approvals.models import Vote, VotingRound
from metadata_templates.models import ReviewComment, SubmittedDraft
from proposals.models import State, TransitionLog
from teams import services as team_services
from teams.models import CollaboratorCall, JoinRequest, Membership, Role, Team
from tests.factories import (
    ProposalFactory,
    UserFactory,
    complete_draft,
    confirmed_team,
    log_meetings,
)


def _in_state(state: str, days_ago: int, **kwargs):
    since = timezone.now() - datetime.timedelta(days=days_ago)
    proposal = ProposalFactory(state=state, state_changed_at=since, **kwargs)
    TransitionLog.objects.create(proposal=proposal, target=state, created_at=since)
    return proposal


def _round(proposal, *, deadline_in: int, days_ago: int = 1) -> VotingRound:
    revision = complete_draft(proposal)
    draft = SubmittedDraft.objects.create(
        proposal=proposal, number=1, revision=revision
    )
    return VotingRound.objects.create(
        proposal=proposal,
        draft=draft,
        opened_at=timezone.now() - datetime.timedelta(days=days_ago),
        deadline=timezone.localdate() + datetime.timedelta(days=deadline_in),
    )


def _queues(user) -> dict[str, list]:
    return {q.key: q.items for q in actions.queues_for(user)}


def test_staff_list_is_every_office_step_oldest_first(staff):
    publish = _in_state(State.APPROVED, 21, title="Approved three weeks ago")
    review = _in_state(State.UNDER_REVIEW, 3, title="Draft in review")
    new = _in_state(State.SUBMITTED, 1, title="New idea")
    _in_state(State.DRAFTING, 30)  # waits on the team, not the office
    late = _round(
        _in_state(State.COMMITTEE_REVIEW, 40, title="Late vote"), deadline_in=-2
    )
    _round(_in_state(State.COMMITTEE_REVIEW, 40), deadline_in=3)

    items = _queues(staff)["staff"]

    assert [i.title for i in items] == [
        publish.title,
        review.title,
        late.proposal.title,
        new.title,
    ]
    assert items[0].what == "Publish the approved credential"
    assert items[0].url == publish.get_absolute_url()
    assert items[2].url == reverse("committee:round", args=[late.pk])
    assert items[2].detail == "2 days overdue"


def test_member_sees_rounds_without_their_vote_with_the_deadline(member, chair):
    waiting = _round(_in_state(State.COMMITTEE_REVIEW, 5), deadline_in=4)
    voted = _round(_in_state(State.COMMITTEE_REVIEW, 5), deadline_in=4)
    Vote.objects.create(round=voted, voter=member, choice="approve")

    items = _queues(member)["committee"]

    assert [i.url for i in items] == [reverse("committee:round", args=[waiting.pk])]
    assert "4 days left" in items[0].detail
    # Days read as on every other page, not as ISO dates.
    assert f"Deadline {waiting.deadline:%b} {waiting.deadline.day}," in items[0].detail
    assert "chair" not in _queues(member)


def test_chair_closes_rounds_everyone_voted_in_or_past_their_deadline(member, chair):
    all_voted = _round(_in_state(State.COMMITTEE_REVIEW, 5), deadline_in=4)
    for voter in (member, chair):
        Vote.objects.create(round=all_voted, voter=voter, choice="approve")
    overdue = _round(_in_state(State.COMMITTEE_REVIEW, 5), deadline_in=-1, days_ago=9)
    _round(_in_state(State.COMMITTEE_REVIEW, 5), deadline_in=4)  # still voting

    items = _queues(chair)["chair"]

    # Straight to the closing confirmation, with the tally and the decision.
    assert [i.url for i in items] == [
        reverse("committee:close", args=[r.pk]) for r in (overdue, all_voted)
    ]
    assert items[1].detail == "2 of 2 voted"


def test_team_sees_returned_drafts_meetings_requests_and_invitations(proposer):
    returned = _in_state(State.DRAFTING, 4, proposer=proposer, title="Returned")
    log_meetings(confirmed_team(returned))
    draft = SubmittedDraft.objects.create(
        proposal=returned, number=1, revision=complete_draft(returned)
    )
    ReviewComment.objects.create(draft=draft, field="c-title", body="Shorter.")
    ReviewComment.objects.create(
        draft=draft, field="c-summary", body="Done.", resolved_at=timezone.now()
    )
    forming = _in_state(State.TEAM_FORMING, 6, proposer=proposer, title="Forming")
    team = confirmed_team(forming)
    call = CollaboratorCall.objects.create(team=team, sought="Nursing faculty")
    asker = UserFactory(first_name="Ada", last_name="Byrne")
    JoinRequest.objects.create(call=call, user=asker, message="I teach it.")
    other = _in_state(State.TEAM_FORMING, 2, title="Elsewhere")
    other_team = Team.objects.create(proposal=other)
    _invitation, token = team_services.invite(
        other_team, by=UserFactory(), email=proposer.email, role=Role.FACULTY
    )

    items = _queues(proposer)["team"]

    assert [(i.what, i.title) for i in items] == [
        ("Log the team's meetings", "Forming"),
        ("Revise the returned draft", "Returned"),
        ("Answer Ada Byrne's request to join", "Forming"),
        ("Answer the invitation to join the team", "Elsewhere"),
    ]
    assert items[1].detail == "1 open comment(s)"
    assert items[1].url == reverse("drafts:editor", args=[returned.pk])
    assert items[3].url == reverse("teams:invitation", args=[token])
    assert re.fullmatch(r"expires [A-Z][a-z]{2} \d{1,2}, \d{4}", items[3].detail)


def test_a_member_who_is_not_the_lead_gets_no_join_requests(proposer):
    proposal = _in_state(State.TEAM_FORMING, 6, proposer=proposer)
    team = confirmed_team(proposal)
    log_meetings(team)
    mate = Membership.objects.exclude(user=proposer).get(team=team).user
    call = CollaboratorCall.objects.create(team=team, sought="Anyone")
    JoinRequest.objects.create(call=call, user=UserFactory(), message="Me.")
    assert _queues(mate)["team"] == []
    assert len(_queues(proposer)["team"]) == 1


@pytest.mark.parametrize("persona", ["outsider", "proposer"])
def test_someone_without_a_role_has_no_action_list(client, personas, persona):
    client.force_login(personas[persona])
    response = client.get(reverse("dashboard"))
    assert response.context["queues"] == []
    assert "Needs your action" not in response.content.decode()


def test_dashboard_shows_each_role_list_with_age_and_link(client, chair):
    waiting = _round(_in_state(State.COMMITTEE_REVIEW, 5), deadline_in=-1, days_ago=3)
    client.force_login(chair)
    page = client.get(reverse("dashboard")).content.decode()
    assert "As committee chair" in page
    assert "As committee member" in page
    assert reverse("committee:round", args=[waiting.pk]) in page
    assert "waiting 3\xa0days" in page


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(ctx)


def _more_work(user, n: int) -> None:
    for _ in range(n):
        for state in (State.SUBMITTED, State.UNDER_REVIEW, State.APPROVED):
            _in_state(state, 2)
        proposal = _in_state(State.TEAM_FORMING, 2, proposer=user)
        call = CollaboratorCall.objects.create(
            team=confirmed_team(proposal), sought="x"
        )
        JoinRequest.objects.create(call=call, user=UserFactory(), message="x")
        _round(_in_state(State.COMMITTEE_REVIEW, 3), deadline_in=-1)


@pytest.mark.parametrize("persona", ["staff", "chair", "member", "proposer"])
def test_dashboard_queries_do_not_grow_with_work(client, personas, persona):
    user = personas[persona]
    if persona != "proposer":
        Membership.objects.create(
            team=confirmed_team(_in_state(State.DRAFTING, 1)),
            user=user,
            role=Role.FACULTY,
        )
    client.force_login(user)
    _more_work(personas["proposer"], 1)
    few = _count(client)
    _more_work(personas["proposer"], 6)
    assert _count(client) == few


def test_a_transition_restarts_the_wait(staff):
    """The queues order by the time a proposal entered its state, which every
    transition records on the row."""
    proposal = _in_state(State.SUBMITTED, 9, title="Old form")
    _in_state(State.IN_TRIAGE, 5, title="Triaged earlier")
    assert [i.title for i in _queues(staff)["staff"]] == ["Old form", "Triaged earlier"]
    services.perform(proposal, "triage", user=staff)
    proposal.refresh_from_db()
    assert timezone.now() - proposal.state_changed_at < datetime.timedelta(minutes=1)
    assert [i.title for i in _queues(staff)["staff"]] == ["Triaged earlier", "Old form"]
