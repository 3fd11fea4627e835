import pytest

from proposals.models import State
from teams.models import Membership, Role, Team
from tests.factories import ProposalFactory, UserFactory, campus


@pytest.fixture
def forming(proposer):
    """A proposal in team forming whose team has the proposer as lead."""
    proposal = ProposalFactory(proposer=proposer, state=State.TEAM_FORMING)
    team = Team.objects.create(proposal=proposal)
    Membership.objects.create(
        team=team, user=proposer, role=Role.LEAD, campus=proposal.campus
    )
    return proposal


@pytest.fixture
def team(forming):
    return forming.team


@pytest.fixture
def teammate(team):
    """A team member who is not the lead."""
    user = UserFactory(username="dana", email="dana@example.edu")
    Membership.objects.create(
        team=team, user=user, role=Role.DESIGNER, campus=campus("UMA")
    )
    return user


@pytest.fixture
def invitee(db):
    return UserFactory(username="ivy", email="ivy@example.edu")
