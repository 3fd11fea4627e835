import datetime
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse

from approvals import rules, services
from approvals.models import CommitteeTerm, Vote, VoteChange
from proposals.models import State
from teams.models import Membership, Role
from tests.factories import ProposalFactory, committee_member, ready_for_review

# (eligible, votes, quorum met, outcome)
RULES = [
    (5, {}, False, None),
    (5, {"approve": 2}, False, None),
    (5, {"approve": 3}, True, "approve"),
    (5, {"approve": 2, "abstain": 1}, True, "approve"),
    (5, {"approve": 2, "reject": 1, "return": 1}, True, "return_for_revision"),
    (5, {"approve": 2, "reject": 2}, True, "reject"),
    (5, {"approve": 1, "reject": 1, "return": 1}, True, "return_for_revision"),
    (5, {"abstain": 3}, True, "return_for_revision"),
    (4, {"approve": 2}, False, None),
    (4, {"approve": 3}, True, "approve"),
    (4, {"approve": 2, "reject": 1}, True, "approve"),
    (4, {"approve": 1, "reject": 1, "abstain": 1}, True, "reject"),
    (1, {"reject": 1}, True, "reject"),
    (0, {}, False, None),
]


@pytest.mark.parametrize(("eligible", "votes", "quorum", "outcome"), RULES)
def test_quorum_and_decision_rules(eligible, votes, quorum, outcome):
    tally = rules.tally(eligible, Counter(votes))
    assert (tally.quorum_met, tally.outcome) == (quorum, outcome)


def test_the_quorum_share_is_a_setting(settings):
    settings.COMMITTEE_QUORUM_PERCENT = 75
    assert rules.quorum_for(4) == 4
    assert rules.tally(4, Counter(approve=3)).quorum_met is False


def test_forwarding_opens_a_round_on_that_exact_draft(round_):
    assert round_.draft == round_.proposal.drafts.get()
    assert round_.is_open


def test_votes_can_change_and_every_change_is_recorded(round_, member):
    services.cast_vote(round_, member, "reject", "Too thin")
    services.cast_vote(round_, member, "approve", "Convinced by the employer input")
    vote = Vote.objects.get()
    assert (vote.choice, vote.comment) == ("approve", "Convinced by the employer input")
    assert [c.choice for c in VoteChange.objects.all()] == ["reject", "approve"]


def test_one_vote_per_member_is_a_database_constraint(round_, member):
    Vote.objects.create(round=round_, voter=member, choice="approve")
    with pytest.raises(IntegrityError):
        Vote.objects.create(round=round_, voter=member, choice="reject")


def test_only_current_members_vote(round_, outsider, staff):
    past = committee_member(username="past")
    CommitteeTerm.objects.filter(user=past).update(ends_on=datetime.date(2025, 12, 31))
    for user in (outsider, staff, past):
        with pytest.raises(PermissionDenied):
            services.cast_vote(round_, user, "approve")


def test_team_members_and_declared_conflicts_are_recused(round_, member, committee):
    on_team = committee[2]
    Membership.objects.create(
        team=services.form_team(round_.proposal), user=on_team, role=Role.FACULTY
    )
    with pytest.raises(PermissionDenied):
        services.cast_vote(round_, on_team, "approve")
    services.cast_vote(round_, member, "approve")
    services.recuse(round_, member, "My department hosts the pathway.")
    assert not Vote.objects.filter(voter=member).exists()
    tally = services.round_tally(round_)
    assert (tally.eligible, tally.recused) == (3, 2)


def test_a_round_without_quorum_is_never_decided_but_can_be_extended(
    round_, chair, member
):
    services.cast_vote(round_, member, "approve")
    with pytest.raises(ValidationError, match="Quorum is not met"):
        services.close_round(round_, chair)
    later = round_.deadline + datetime.timedelta(days=1)
    services.extend_round(round_, deadline=later)
    round_.refresh_from_db()
    assert round_.is_open and round_.deadline == later
    assert round_.proposal.state == State.COMMITTEE_REVIEW


@pytest.mark.parametrize(
    ("choices", "state"),
    [
        (["approve", "approve", "approve", "reject"], State.APPROVED),
        (["reject", "reject", "reject", "approve"], State.REJECTED),
        (["return", "return", "approve", "abstain"], State.DRAFTING),
    ],
)
def test_closing_fires_the_matching_transition(
    round_, committee, chair, choices, state
):
    for user, choice in zip(committee[1:], choices, strict=True):
        services.cast_vote(round_, user, choice)
    entry = services.close_round(round_, chair, "The committee's reasons.")
    round_.refresh_from_db()
    proposal = round_.proposal
    proposal.refresh_from_db()
    assert proposal.state == state
    assert entry.note == "The committee's reasons."
    assert not round_.is_open and round_.closed_by == chair
    with pytest.raises(ValidationError, match="closed"):
        services.cast_vote(round_, committee[1], "approve")


def test_only_the_chair_or_acting_chair_closes(round_, committee, member):
    for user in committee[1:]:
        services.cast_vote(round_, user, "approve")
    with pytest.raises(PermissionDenied):
        services.close_round(round_, member)
    acting = committee_member(username="acting", role="acting_chair")
    services.close_round(round_, acting)
    round_.proposal.refresh_from_db()
    assert round_.proposal.state == State.APPROVED


def test_the_chair_cannot_decide_without_a_round(chair, proposer):
    proposal = ProposalFactory(proposer=proposer, state=State.COMMITTEE_REVIEW)
    with pytest.raises(services.TransitionNotAllowed):
        services.perform(proposal, "approve", user=chair)


def test_a_rejection_needs_the_committees_reasons(round_, committee, chair):
    for user in committee[1:]:
        services.cast_vote(round_, user, "reject")
    with pytest.raises(ValidationError):
        services.close_round(round_, chair, "")
    round_.refresh_from_db()
    assert round_.is_open


def test_return_for_revision_gives_the_team_the_comments_and_a_new_round_later(
    round_, committee, chair, staff, proposer
):
    for user in committee[1:]:
        services.cast_vote(round_, user, "return")
    services.close_round(round_, chair, "Name the employer hosts.")
    proposal = round_.proposal
    proposal.refresh_from_db()
    assert proposal.transitions.last().note == "Name the employer hosts."
    ready_for_review(proposal)
    services.perform(proposal, "submit_draft", user=proposer)
    services.perform(proposal, "forward_to_committee", user=staff)
    assert proposal.rounds.open().get().draft.number == 2


def test_the_round_page_shows_votes_to_chair_and_staff_and_a_tally_to_members(
    client, round_, member, chair, staff, committee
):
    services.cast_vote(round_, committee[2], "approve", "Secret reasons")
    url = reverse("committee:round", args=[round_.pk])
    client.force_login(member)
    assert "Secret reasons" not in client.get(url).content.decode()
    for user in (chair, staff):
        client.force_login(user)
        assert "Secret reasons" in client.get(url).content.decode()


def test_voting_through_the_page(client, round_, member):
    client.force_login(member)
    url = reverse("committee:action", args=[round_.pk, "vote"])
    client.post(url, {"choice": "approve", "comment": "Yes"})
    client.post(url, {"choice": "bogus"})
    assert Vote.objects.get().choice == "approve"
    client.post(
        reverse("committee:action", args=[round_.pk, "comment"]), {"body": "Q?"}
    )
    assert round_.comments.get().body == "Q?"


def test_an_extension_moves_the_deadline_later_and_tells_who_has_not_voted(
    round_, committee, mailoutbox, django_capture_on_commit_callbacks
):
    voted, waiting = committee[1], committee[2]
    voted.email, waiting.email = "voted@maine.edu", "waiting@maine.edu"
    voted.save()
    waiting.save()
    services.cast_vote(round_, voted, "approve")
    with pytest.raises(ValidationError, match="choose a day after the current"):
        services.extend_round(round_, deadline=round_.deadline)
    with django_capture_on_commit_callbacks(execute=True):
        services.extend_round(
            round_, deadline=round_.deadline + datetime.timedelta(days=3)
        )
    told = {address for message in mailoutbox for address in message.to}
    assert "waiting@maine.edu" in told and "voted@maine.edu" not in told
    assert "More time to vote" in mailoutbox[0].subject
