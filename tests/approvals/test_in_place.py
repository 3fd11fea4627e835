"""Actions offered where the person already is: a vote from the dashboard, an
invitation accepted there, a workflow action confirmed on the page that offers it,
and the team's forms opened on the team page. Each still posts to its own page."""

import pytest
from django.urls import reverse

from approvals.models import Vote
from proposals.models import State
from teams import services as team_services
from teams.models import Role
from tests.factories import ProposalFactory, UserFactory, confirmed_team


def _vote_url(round_) -> str:
    return reverse("committee:action", args=[round_.pk, "vote"])


def test_a_vote_from_the_dashboard_is_recorded_and_returns_there(
    client, round_, member
):
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'action="{_vote_url(round_)}"' in page

    response = client.post(
        _vote_url(round_), {"choice": "approve", "next": reverse("dashboard")}
    )

    assert response.url == reverse("dashboard")
    assert Vote.objects.get(round=round_, voter=member).choice == "approve"
    assert (
        f'action="{_vote_url(round_)}"'
        not in client.get(reverse("dashboard")).content.decode()
    )


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_a_vote_never_returns_anywhere_but_this_site(client, round_, member, next_url):
    client.force_login(member)
    response = client.post(_vote_url(round_), {"choice": "reject", "next": next_url})
    assert response.url == reverse("committee:round", args=[round_.pk])


def test_a_vote_without_a_choice_is_shown_on_the_round_page(client, round_, member):
    client.force_login(member)
    response = client.post(_vote_url(round_), {"next": reverse("dashboard")})
    assert response.status_code == 200
    assert "approvals/round_detail.html" in [t.name for t in response.templates]
    assert not Vote.objects.filter(round=round_, voter=member).exists()


def test_an_invitation_is_accepted_from_the_dashboard(client, db):
    invitee = UserFactory(username="dana", email="dana@maine.edu")
    proposal = ProposalFactory(state=State.TEAM_FORMING, title="Welding")
    team = confirmed_team(proposal)
    _invitation, token = team_services.invite(
        team, by=proposal.proposer, email=invitee.email, role=Role.DESIGNER
    )
    client.force_login(invitee)
    page = client.get(reverse("dashboard")).content.decode()
    link = reverse("teams:invitation", args=[token])
    assert f'action="{link}"' in page

    response = client.post(link, {"answer": "accept"})

    assert response.url == reverse("teams:detail", args=[proposal.pk])
    assert team.memberships.filter(user=invitee, role=Role.DESIGNER).exists()


def test_the_proposal_page_confirms_its_actions_in_place(client, staff):
    proposal = ProposalFactory(state=State.SUBMITTED)
    client.force_login(staff)
    page = client.get(proposal.get_absolute_url()).content.decode()
    action = reverse("proposals:transition", args=[proposal.pk, "triage_and_accept"])
    assert f'action="{action}"' in page
    # Each action's form has ids of its own.
    assert 'id="triage_and_accept-note"' in page
    assert 'id="decline-note"' in page

    response = client.post(action, {"note": "Fits.", "expected_state": "submitted"})

    assert response.url == reverse("teams:detail", args=[proposal.pk])


def test_the_team_page_opens_the_invitation_and_meeting_forms(client, proposer):
    proposal = ProposalFactory(proposer=proposer, state=State.TEAM_FORMING)
    confirmed_team(proposal, lead=proposer)
    client.force_login(proposer)
    page = client.get(reverse("teams:detail", args=[proposal.pk])).content.decode()
    assert f'action="{reverse("teams:invite", args=[proposal.pk])}"' in page
    assert f'action="{reverse("teams:meeting_new", args=[proposal.pk])}"' in page
    assert reverse("teams:people", args=[proposal.pk]) in page
