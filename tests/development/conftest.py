import pytest

from development import pathway
from development.models import Evidence, Item
from proposals.models import State, TransitionLog
from teams.models import Meeting, Membership, Role
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


LEVEL1 = {
    Item.LEVEL1_COMPLETION: None,
    Item.LEVEL1_QUIZ: 85,
    Item.LEVEL1_REFLECTION: None,
}
ALL_EVIDENCE = {**LEVEL1, Item.STARTER: None, Item.LEVEL3_REFLECTION: None}
CHECKLIST = {
    "issuing_option": "Credly",
    "communication_plan": "Campus news and the teaching centres.",
    "infographic_link": "https://example.edu/infographic.pdf",
    "website": "A page for the campus website.",
}


def evidence(person, items: dict) -> None:
    for item, score in items.items():
        Evidence.objects.create(
            person=person, item=item, score=score, text="Done", recorded_by=person
        )


def person_on_team(state: str, *, meetings: int = 2, drafts: bool = True):
    """A team member of a proposal in `state`, with its log as the workflow writes
    it, who attended `meetings` meetings."""
    proposal = ProposalFactory(state=state)
    team = confirmed_team(proposal)
    person = UserFactory()
    mine = Membership.objects.create(
        team=team, user=person, role=Role.FACULTY, campus=campus("UMF")
    )
    log_meetings(team, 2)
    # Only the first `meetings` of them had this person.
    for meeting in Meeting.objects.filter(team=team)[meetings:]:
        meeting.attendees.remove(mine)
    steps = {
        State.TEAM_FORMING: [],
        State.DRAFTING: ["start_development"],
        State.UNDER_REVIEW: ["start_development", "submit_draft"],
        State.APPROVED: ["start_development", "submit_draft", "approve"],
        State.PUBLISHED: ["start_development", "submit_draft", "approve", "publish"],
        State.REJECTED: ["start_development", "submit_draft", "reject"],
    }[state]
    walk(proposal, *steps)
    if drafts and "submit_draft" in steps:
        approved_credential(proposal)
    return person, proposal
