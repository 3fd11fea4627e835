"""In real Chromium: four members and the chair vote, the chair closes the round, the
proposal becomes approved and the proposer sees the decision."""

import pytest

from approvals import services
from proposals.models import State
from tests.browser.test_interest_to_accept import sign_in
from tests.factories import (
    ProposalFactory,
    UserFactory,
    chair_user,
    committee_member,
    complete_draft,
    staff_user,
)

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_committee_votes_and_the_chair_closes(new_page, step):
    proposer = UserFactory(username="fran", first_name="Fran", last_name="Acker")
    chair_user(username="chair", first_name="Chris", last_name="Hale")
    for i in range(1, 5):
        committee_member(
            username=f"member{i}", first_name=f"Member{i}", last_name="Lee"
        )
    proposal = ProposalFactory(
        proposer=proposer,
        title="Marine Aquaculture Technician",
        state=State.UNDER_REVIEW,
    )
    complete_draft(proposal)
    services.perform(proposal, "forward_to_committee", user=staff_user(username="sam"))
    round_id = proposal.rounds.get().pk

    choices = {
        "member1": "Approve",
        "member2": "Approve",
        "member3": "Approve",
        "member4": "Abstain",
        "chair": "Approve",
    }
    for username, choice in choices.items():
        page = new_page()
        sign_in(page, username)
        page.get_by_role("link", name="Committee", exact=True).click()
        if username == "member1":
            page.get_by_text("14 days left").wait_for()
            page.get_by_text("You have not voted yet").wait_for()
            step(page, "29-agenda-with-deadline")
        page.get_by_role("link", name="Marine Aquaculture Technician").click()
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Record my vote").click()
        page.get_by_text("Your vote is recorded").wait_for()
        if username == "member4":
            step(page, "30-member-voted")
        if username != "chair":
            page.context.close()

    page.get_by_text("Every eligible member has voted.").wait_for()
    step(page, "30b-chair-round-page")
    page.get_by_role("link", name="Review and close the round").click()
    page.get_by_text("Closing records the committee's decision: approved").wait_for()
    page.get_by_label("The committee's comments for the team").fill(
        "Approved: a clear pathway with committed employers."
    )
    step(page, "31-chair-before-closing")
    page.get_by_role("button", name="Close the round and record the decision").click()
    page.get_by_text(
        "The committee approved “Marine Aquaculture Technician”."
    ).wait_for()
    step(page, "32-round-closed")

    proposal.refresh_from_db()
    assert proposal.state == State.APPROVED
    assert services.round_tally(proposal.rounds.get()).approve == 4

    fran = new_page()
    sign_in(fran, "fran")
    fran.goto(proposal.get_absolute_url())
    assert fran.get_by_text(
        "Approved: a clear pathway with committed employers."
    ).is_visible()
    step(fran, "33-proposer-sees-decision")
    assert round_id
