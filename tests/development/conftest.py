import pytest

from development import pathway
from proposals.models import State, TransitionLog
from teams.models import Membership, Role
from tests.factories import (
    ProposalFactory,
    UserFactory,
    approved_credential,
    campus,
    confirmed_team,
    log_meetings,
)


@pytest.fixture
def loaded(site_admin):
    """The development pathway, published in the catalog."""
    pathway.ensure(site_admin)
    return pathway.badges()


def walk(proposal, *transitions: str) -> None:
    """The log entries progress reads, as the workflow would have written them."""
    for name in transitions:
        TransitionLog.objects.create(
            proposal=proposal, transition=name, target=proposal.state
        )


@pytest.fixture
def approved(proposer):
    """An approved credential whose confirmed team (the proposer as lead) met
    twice and submitted a draft."""
    proposal = ProposalFactory(proposer=proposer, state=State.APPROVED)
    team = confirmed_team(proposal)
    log_meetings(team)
    approved_credential(proposal)
    walk(proposal, "start_development", "submit_draft", "approve")
    return proposal


@pytest.fixture
def teammate(approved):
    user = UserFactory(username="dana", first_name="Dana", last_name="Ellis")
    Membership.objects.create(
        team=approved.team, user=user, role=Role.DESIGNER, campus=campus("UMA")
    )
    return user
