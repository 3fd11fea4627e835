"""Leaving a state closes what it opened: a round ends void, invitations are revoked,
calls and join requests close and action notifications are done. A refused
transition says which condition failed, or that the state does not offer it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from approvals import rules, services
from approvals.models import VotingRound
from proposals.models import Notification, State
from teams import services as teams
from teams.models import Invitation, JoinRequest, Membership
from tests.factories import (
    ProposalFactory,
    UserFactory,
    complete_draft,
    confirmed_team,
)


def test_withdrawing_during_committee_review_voids_the_open_round(
    client, round_, proposer, member, chair
):
    proposal = round_.proposal
    services.perform(proposal, "withdraw", user=proposer, note="Funding ended.")
    round_.refresh_from_db()
    assert round_.outcome == VotingRound.Outcome.VOID
    assert round_.closed_at is not None and "Funding ended." in round_.decision_note
    assert not VotingRound.objects.open().exists()
    client.force_login(member)
    assert (
        proposal.title not in client.get(reverse("committee:agenda")).content.decode()
    )
    with pytest.raises(ValidationError, match="closed without a decision"):
        services.cast_vote(round_, member, "approve")
    with pytest.raises(ValidationError, match="closed without a decision"):
        services.close_round(round_, chair)
    client.force_login(chair)
    response = client.post(reverse("committee:close", args=[round_.pk]), follow=True)
    text = response.content.decode()
    assert "closed without a decision" in text and "changed meanwhile" not in text


def test_withdrawing_a_forming_team_closes_what_it_opened(proposer, staff):
    proposal = ProposalFactory(proposer=proposer, state=State.TEAM_FORMING)
    team = confirmed_team(proposal)
    invitee = UserFactory(email="invitee@example.edu")
    invitation, _token = teams.invite(
        team, by=staff, email=invitee.email, role="faculty"
    )
    call = teams.open_call(team, by=staff, sought="An employer partner")
    joiner = UserFactory()
    teams.request_to_join(call, joiner, campus=None, organisation="Acme", message="Hi")
    asks = Notification.objects.filter(proposal=proposal, action="team")
    assert asks.filter(read_at=None).count() >= 2

    services.perform(proposal, "withdraw", user=proposer, note="No longer needed.")

    invitation.refresh_from_db()
    call.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert call.closed_at is not None
    assert JoinRequest.objects.get(user=joiner).status == JoinRequest.Status.CLOSED
    assert not asks.filter(read_at=None).exists()
    with pytest.raises(ValidationError, match="revoked"):
        teams.accept_invitation(invitation, invitee)


def test_forwarding_fixes_the_team_and_revokes_waiting_invitations(
    client, proposer, staff, member
):
    proposal = ProposalFactory(proposer=proposer, state=State.UNDER_REVIEW)
    team = confirmed_team(proposal)
    complete_draft(proposal)
    invitation, _token = teams.invite(
        team, by=staff, email=member.email, role="faculty"
    )
    services.perform(proposal, "forward_to_committee", user=staff)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    # The lead can neither add a committee member (recusing them) nor remove one.
    with pytest.raises(ValidationError, match="Committee review"):
        teams.invite(team, by=proposer, email=member.email, role="faculty")
    other = team.memberships.exclude(user=proposer).get()
    client.force_login(proposer)
    response = client.post(
        reverse("teams:remove_member", args=[proposal.pk, other.pk]), follow=True
    )
    assert "who may vote depends on the team" in response.content.decode()
    assert Membership.objects.filter(pk=other.pk).exists()


def test_an_unmet_condition_is_named_in_the_refusal(client, proposer, staff):
    proposal = ProposalFactory(proposer=proposer, state=State.TEAM_FORMING)
    teams.form_team(proposal)
    client.force_login(staff)
    response = client.post(
        reverse("proposals:transition", args=[proposal.pk, "start_development"]),
        {"expected_state": State.TEAM_FORMING},
        follow=True,
    )
    text = response.content.decode()
    assert "Campuses on the team: 1 of the 2 needed" in text
    assert "changed while you were looking" not in text
    proposal.refresh_from_db()
    assert proposal.state == State.TEAM_FORMING


def test_an_out_of_order_post_says_the_action_is_not_available(client, staff):
    proposal = ProposalFactory(state=State.DRAFTING)
    client.force_login(staff)
    response = client.post(
        reverse("proposals:transition", args=[proposal.pk, "forward_to_committee"]),
        {"expected_state": State.DRAFTING},
        follow=True,
    )
    text = response.content.decode()
    assert "is not available while the proposal is “Drafting”" in text
    proposal.refresh_from_db()
    assert proposal.state == State.DRAFTING


@pytest.mark.parametrize(
    ("percent", "eligible", "needed"),
    [
        (58, 50, 30),  # 29 is exactly 58 %, so not more than it
        (50, 50, 26),
        (50, 4, 3),
        (50, 5, 3),
        (0, 7, 1),
        (99, 100, 100),
        (99, 1, 1),
        (75, 4, 4),
        (51, 100, 52),
        (50, 0, 1),
    ],
)
def test_quorum_is_more_than_the_share_in_whole_votes(
    settings, percent, eligible, needed
):
    settings.COMMITTEE_QUORUM_PERCENT = percent
    assert rules.quorum_for(eligible) == needed
    assert needed <= max(eligible, 1)


@pytest.mark.parametrize("percent", [100, 150, -1])
def test_a_quorum_that_could_never_be_met_stops_the_checks(settings, percent):
    settings.COMMITTEE_QUORUM_PERCENT = percent
    with pytest.raises(SystemCheckError, match="COMMITTEE_QUORUM_PERCENT"):
        call_command("check")
