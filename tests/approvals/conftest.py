import pytest

from approvals import services
from proposals.models import State
from tests.factories import ProposalFactory, committee_member, complete_draft


@pytest.fixture
def committee(chair, member):
    """The chair and four members in office."""
    others = [committee_member(username=f"m{i}") for i in range(2, 5)]
    return [chair, member, *others]


@pytest.fixture
def round_(proposer, staff, committee):
    """A proposal forwarded to the committee, with its open round."""
    proposal = ProposalFactory(proposer=proposer, state=State.UNDER_REVIEW)
    complete_draft(proposal)
    services.perform(proposal, "forward_to_committee", user=staff)
    return proposal.rounds.get()
