"""Triage and accept in one confirmation: both steps are logged as themselves, the
proposer hears once, and the shortcut is only offered where its first step is."""

import pytest
from django.urls import reverse

from proposals.models import Notification, State
from tests.factories import ProposalFactory


def _url(proposal) -> str:
    return reverse("proposals:transition", args=[proposal.pk, "triage_and_accept"])


def test_staff_accept_a_new_interest_form_in_one_step(client, staff, proposal):
    client.force_login(staff)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert _url(proposal) in page
    confirm = client.get(_url(proposal)).content.decode()
    assert "Confirm: Triage and accept" in confirm

    response = client.post(
        _url(proposal), {"note": "A clear fit.", "expected_state": "submitted"}
    )

    # Where staff act next: the new team's page, to invite its members.
    assert response.url == reverse("teams:detail", args=[proposal.pk])
    proposal.refresh_from_db()
    assert proposal.state == State.TEAM_FORMING
    assert proposal.team_or_none() is not None
    steps = list(proposal.transitions.values_list("transition", "source", "note"))
    assert steps == [
        ("triage", "submitted", ""),
        ("accept", "in_triage", "A clear fit."),
    ]
    told = Notification.objects.filter(recipient=proposal.proposer)
    assert [n.event.transition for n in told] == ["accept"]


def test_not_offered_once_triage_has_started(client, staff, proposer):
    proposal = ProposalFactory(proposer=proposer, state=State.IN_TRIAGE)
    client.force_login(staff)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert _url(proposal) not in page
    assert "Accept and form a team" in page
    response = client.get(_url(proposal), follow=True)
    assert "is not possible while the proposal is “In triage”" in (
        response.content.decode()
    )


def test_a_stale_page_changes_nothing(client, staff, proposal):
    client.force_login(staff)
    response = client.post(
        _url(proposal), {"note": "", "expected_state": "in_triage"}, follow=True
    )
    assert "Nothing was changed" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    assert proposal.transitions.count() == 0


@pytest.mark.parametrize(("persona", "status"), [("proposer", 403), ("outsider", 404)])
def test_only_staff_may_take_the_shortcut(client, personas, proposal, persona, status):
    client.force_login(personas[persona])
    response = client.post(_url(proposal), {"expected_state": "submitted"})
    assert response.status_code == status
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
