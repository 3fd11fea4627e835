"""Voting deadlines: set on forwarding, shown on the agenda with the user's vote,
turnout and time left; the chair and staff see who has not voted yet."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import VotingRound
from proposals.models import State
from tests.factories import ProposalFactory, committee_member, complete_draft


def test_forwarding_sets_the_deadline_from_the_setting(settings, proposer, staff):
    settings.COMMITTEE_VOTING_DAYS = 5
    proposal = ProposalFactory(proposer=proposer, state=State.UNDER_REVIEW)
    complete_draft(proposal)
    services.perform(proposal, "forward_to_committee", user=staff)
    assert proposal.rounds.get().deadline == timezone.localdate() + datetime.timedelta(
        days=5
    )


def _forward_page(client, staff, proposer):
    proposal = ProposalFactory(proposer=proposer, state=State.UNDER_REVIEW)
    complete_draft(proposal)
    client.force_login(staff)
    return proposal, reverse(
        "proposals:transition", args=[proposal.pk, "forward_to_committee"]
    )


def test_the_forward_confirmation_sets_the_deadline(client, settings, proposer, staff):
    settings.COMMITTEE_VOTING_DAYS = 9
    proposal, url = _forward_page(client, staff, proposer)
    default = timezone.localdate() + datetime.timedelta(days=9)
    assert f'value="{default.isoformat()}"' in client.get(url).content.decode()
    chosen = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        url, {"expected_state": "under_review", "deadline": chosen.isoformat()}
    )
    assert response.status_code == 302
    assert proposal.rounds.get().deadline == chosen


def test_a_forward_without_a_deadline_takes_the_default(
    client, settings, proposer, staff
):
    settings.COMMITTEE_VOTING_DAYS = 9
    proposal, url = _forward_page(client, staff, proposer)
    client.post(url, {"expected_state": "under_review", "deadline": ""})
    assert proposal.rounds.get().deadline == timezone.localdate() + (
        datetime.timedelta(days=9)
    )


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (0, "at least until tomorrow"),
        (-3, "at least until tomorrow"),
        (181, "within 180 days"),
        (None, "Enter a valid date"),
    ],
)
def test_a_deadline_outside_the_window_is_refused_and_kept(
    client, proposer, staff, days, message
):
    proposal, url = _forward_page(client, staff, proposer)
    typed = (
        (timezone.localdate() + datetime.timedelta(days=days)).isoformat()
        if days is not None
        else "next tuesday"
    )
    response = client.post(
        url, {"expected_state": "under_review", "deadline": typed, "note": "Ready."}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{typed}"' in page
    assert "Ready." in page
    proposal.refresh_from_db()
    assert proposal.state == State.UNDER_REVIEW


def test_the_service_refuses_a_deadline_in_the_past(proposer, staff):
    proposal = ProposalFactory(proposer=proposer, state=State.UNDER_REVIEW)
    complete_draft(proposal)
    with pytest.raises(ValidationError):
        services.perform(
            proposal,
            "forward_to_committee",
            user=staff,
            deadline=timezone.localdate(),
        )
    assert not VotingRound.objects.exists()


def test_time_left_in_words():
    today = datetime.date(2026, 3, 10)
    words = {
        13: "3 days left",
        11: "1 day left",
        10: "due today",
        9: "1 day overdue",
        8: "2 days overdue",
    }
    for day, expected in words.items():
        round_ = VotingRound(deadline=datetime.date(2026, 3, day))
        assert round_.time_left(today) == expected
    assert VotingRound(deadline=None).time_left(today) == ""


def test_agenda_shows_my_vote_turnout_and_time_left(client, round_, committee):
    member = committee[1]
    services.cast_vote(round_, member, "reject")
    services.cast_vote(round_, committee[2], "approve")
    round_.deadline = timezone.localdate() + datetime.timedelta(days=3)
    round_.save()
    client.force_login(member)
    page = client.get(reverse("committee:agenda")).content.decode()
    assert "Your vote: <strong>Reject</strong>" in page
    assert "Turnout: 2 of 5 eligible members voted" in page
    assert "3 days left" in page
    client.force_login(committee[3])
    assert "You have not voted yet" in client.get(reverse("committee:agenda")).text


def test_agenda_shows_an_overdue_round(client, round_, chair):
    round_.deadline = timezone.localdate() - datetime.timedelta(days=2)
    round_.save()
    client.force_login(chair)
    assert "2 days overdue" in client.get(reverse("committee:agenda")).text


def test_turnout_counts_only_eligible_members(round_, committee):
    services.cast_vote(round_, committee[1], "approve")
    services.recuse(round_, committee[2], "I advised the team.")
    [item] = services.agenda_for(committee[0])
    assert (item.voted, item.eligible, item.my_vote, item.may_vote) == (1, 4, "", True)


def test_chair_and_staff_see_who_has_not_voted(client, round_, committee, staff):
    services.cast_vote(round_, committee[1], "approve")
    url = reverse("committee:round", args=[round_.pk])
    waiting = committee[2]
    waiting.first_name, waiting.last_name = "Wren", "Waits"
    waiting.save()
    for user in (committee[0], staff):
        client.force_login(user)
        page = client.get(url).text
        assert "Not voted yet" in page
        assert "Wren Waits" in page
        assert committee[1].get_username() not in page.split("Not voted yet")[1]
    client.force_login(committee[3])
    assert "Not voted yet" not in client.get(url).text


def test_agenda_queries_do_not_grow_with_rounds_votes_and_recusals(
    client, round_, committee, staff
):
    client.force_login(committee[1])
    url = reverse("committee:agenda")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = count()
    for i in range(4):
        proposal = ProposalFactory(state=State.UNDER_REVIEW)
        complete_draft(proposal)
        services.perform(proposal, "forward_to_committee", user=staff)
        other = proposal.rounds.get()
        services.cast_vote(other, committee[1], "approve")
        services.recuse(other, committee_member(username=f"late{i}"), "Conflict.")
    assert count() == few
