"""Closing a round is confirmed on its own page, like every other decision: GET shows
the tally, quorum and the decision; POST closes and says what the committee decided."""

import pytest
from django.urls import reverse

from approvals import services
from proposals.models import State


def _close_url(round_) -> str:
    return reverse("committee:close", args=[round_.pk])


def _vote_all(round_, committee, choice):
    for voter in committee:
        services.cast_vote(round_, voter, choice)


def test_confirmation_shows_tally_quorum_and_the_decision(client, round_, committee):
    _vote_all(round_, committee[:3], "approve")
    client.force_login(committee[0])
    page = client.get(_close_url(round_)).text
    assert "3 of 5 eligible members have voted; quorum is 3." in page
    assert "Quorum met" in page
    assert "decision: <strong>approved</strong>" in (page)
    assert "comments for the team" in page
    round_.refresh_from_db()
    assert round_.is_open


@pytest.mark.parametrize(
    ("choice", "state", "sentence"),
    [
        ("approve", State.APPROVED, "The committee approved “{}”."),
        ("reject", State.REJECTED, "The committee rejected “{}”."),
        (
            "return",
            State.DRAFTING,
            "The committee returned “{}” to the team for revision.",
        ),
    ],
)
def test_posting_closes_with_a_sentence(
    client, round_, committee, choice, state, sentence
):
    _vote_all(round_, committee, choice)
    client.force_login(committee[0])
    response = client.post(_close_url(round_), {"note": "Our reasons."}, follow=True)
    round_.proposal.refresh_from_db()
    assert round_.proposal.state == state
    assert sentence.format(round_.proposal.title) in response.text


def test_a_required_note_missing_keeps_the_page_and_changes_nothing(
    client, round_, committee
):
    _vote_all(round_, committee, "reject")
    client.force_login(committee[0])
    response = client.post(_close_url(round_), {"note": ""})
    assert response.status_code == 200
    assert "is-invalid" in response.text
    round_.refresh_from_db()
    assert round_.is_open


def test_without_quorum_the_page_says_so_and_keeps_the_note(client, round_, chair):
    client.force_login(chair)
    assert "Quorum is not met" in client.get(_close_url(round_)).text
    response = client.post(_close_url(round_), {"note": "Typed with care."})
    assert response.status_code == 200
    assert "Quorum is not met (0 of 3 votes needed)" in response.text
    assert "Typed with care." in response.text
    round_.refresh_from_db()
    assert round_.is_open


def test_a_closed_round_sends_the_chair_back_with_the_reason(client, round_, committee):
    _vote_all(round_, committee, "approve")
    services.close_round(round_, committee[0])
    client.force_login(committee[0])
    response = client.get(_close_url(round_), follow=True)
    assert "This round is closed; the decision is recorded." in response.text


def test_the_round_page_links_the_chair_to_the_confirmation(
    client, round_, committee, chair
):
    _vote_all(round_, committee, "approve")
    client.force_login(chair)
    assert (
        _close_url(round_)
        in client.get(reverse("committee:round", args=[round_.pk])).text
    )
