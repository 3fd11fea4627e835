"""Votes and closes at the same moment, on real PostgreSQL connections: the outcome is
consistent and no vote is lost or counted twice."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from approvals import services
from approvals.models import Vote, VoteChange, VotingRound
from proposals.models import Proposal, State
from tests.factories import (
    ProposalFactory,
    chair_user,
    committee_member,
    complete_draft,
    staff_user,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent PostgreSQL connections",
    ),
]


def _open_round(members=4):
    chair = chair_user(username="chair")
    voters = [committee_member(username=f"v{i}") for i in range(members)]
    proposal = ProposalFactory(state=State.UNDER_REVIEW)
    complete_draft(proposal)
    services.perform(proposal, "forward_to_committee", user=staff_user(username="s"))
    return proposal.rounds.get(), chair, voters


def _together(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except ValidationError as error:
            results[index] = ("refused", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _round(pk):
    return VotingRound.objects.get(pk=pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_simultaneous_votes_are_all_counted_once():
    round_, chair, voters = _open_round()
    _together(
        *[
            lambda v=v: services.cast_vote(_round(round_.pk), v, "approve")
            for v in voters
        ]
    )
    assert Vote.objects.filter(round=round_).count() == 4
    assert VoteChange.objects.filter(round=round_).count() == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_same_member_voting_twice_at_once_keeps_one_vote():
    round_, chair, voters = _open_round()
    results = _together(
        lambda: services.cast_vote(_round(round_.pk), voters[0], "approve"),
        lambda: services.cast_vote(_round(round_.pk), voters[0], "reject"),
    )
    assert [r[0] for r in results] == ["ok", "ok"]
    assert Vote.objects.filter(round=round_).count() == 1
    last = VoteChange.objects.filter(round=round_).order_by("at", "pk").last()
    assert Vote.objects.get(round=round_).choice == last.choice


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_vote_arriving_while_the_chair_closes_is_counted_or_refused_never_lost():
    round_, chair, voters = _open_round()
    for voter in voters[:3]:
        services.cast_vote(round_, voter, "approve")
    results = _together(
        lambda: services.close_round(_round(round_.pk), chair),
        lambda: services.cast_vote(_round(round_.pk), voters[3], "reject"),
    )
    closed = _round(round_.pk)
    assert results[0][0] == "ok" and closed.outcome == "approve"
    vote_landed = Vote.objects.filter(round=round_, voter=voters[3]).exists()
    assert vote_landed == (results[1][0] == "ok")
    assert Proposal.objects.get(pk=round_.proposal_id).state == State.APPROVED


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_closes_at_once_decide_once():
    round_, chair, voters = _open_round()
    for voter in voters[:3]:
        services.cast_vote(round_, voter, "approve")
    results = _together(
        lambda: services.close_round(_round(round_.pk), chair),
        lambda: services.close_round(_round(round_.pk), chair),
    )
    assert sorted(r[0] for r in results) == ["ok", "refused"]
    proposal = Proposal.objects.get(pk=round_.proposal_id)
    assert proposal.state == State.APPROVED
    assert proposal.transitions.filter(transition="approve").count() == 1
