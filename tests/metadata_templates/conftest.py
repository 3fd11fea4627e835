import pytest

from approvals import services as workflow
from proposals.models import State
from tests.factories import ProposalFactory, UserFactory, confirmed_team, log_meetings


@pytest.fixture
def drafting(proposer, staff):
    """A pathway proposal whose confirmed team has started development."""
    proposal = ProposalFactory(
        proposer=proposer, state=State.TEAM_FORMING, title="Welding Fundamentals"
    )
    confirmed_team(proposal)
    log_meetings(proposal.team)
    workflow.perform(proposal, "start_development", user=staff)
    return proposal


@pytest.fixture
def teammate(drafting):
    """A second member of the team, who edits at the same time as the lead."""
    from teams.models import Membership, Role

    user = UserFactory(username="dana")
    Membership.objects.create(team=drafting.team, user=user, role=Role.DESIGNER)
    return user
