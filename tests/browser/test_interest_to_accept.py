"""In real Chromium: faculty submit an interest form, staff triage and accept it."""

import pytest

from proposals.models import Proposal, State
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:
    """Sign in through the form (every browser test account's password is "pw")."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


def confirm(page, action: str, note: str = "", *, screenshot=None) -> None:
    """Fire a workflow action where the page offers it, confirming it in place
    (`screenshot`, a function of the page, sees the confirmation open)."""
    offer = page.locator("details.confirm-inline").filter(
        has=page.locator("summary", has_text=action)
    )
    offer.locator("summary").click()
    if note:
        offer.locator("textarea[name='note']").fill(note)
    if screenshot:
        screenshot(page)
    offer.get_by_role("button", name=f"Confirm: {action}").click()
    page.get_by_text("the proposal is now").wait_for()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_faculty_submit_and_staff_triage_and_accept(new_page, step):
    UserFactory(username="faculty", first_name="Fran", last_name="Acker")
    staff_user(username="staff", first_name="Sam", last_name="Taylor")

    page = new_page()
    sign_in(page, "faculty")
    page.get_by_role("link", name="Propose a micro-credential").first.click()
    assert page.get_by_label("Your name").input_value() == "Fran Acker"
    page.get_by_role("combobox", name="Campus").select_option(
        label="University of Maine at Farmington"
    )
    page.get_by_label("Proposed title").fill("Outdoor Leadership")
    page.get_by_label("Workforce development").check()
    page.get_by_label("Description").fill(
        "Guides learn risk management and group leadership in the Maine woods."
    )
    page.get_by_label("Target audience").fill("Registered Maine guides")
    step(page, "01-interest-form")
    page.get_by_role("button", name="Submit interest form").click()
    page.get_by_text("Your interest form is in").wait_for()
    step(page, "02-proposal-submitted")
    # Until the office accepts it, the proposer may still change the form.
    page.get_by_role("link", name="Edit the interest form").click()
    page.get_by_label("Target audience").fill(
        "Registered Maine guides and trip leaders"
    )
    step(page, "02b-edit-interest-form")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Your changes are saved").wait_for()
    page.get_by_text("Target audience changed; it said:").wait_for()
    step(page, "02c-interest-form-edited")

    staff = new_page()
    sign_in(staff, "staff")
    staff.get_by_role("link", name="Staff queue").first.click()
    staff.get_by_role("link", name="Outdoor Leadership").click()
    confirm(staff, "Start triage", "Called Fran; strong fit for UMF and UMFK.")
    staff.get_by_text("the proposal is now “In triage”").wait_for()
    confirm(
        staff,
        "Accept and form a team",
        screenshot=lambda page: step(page, "03-confirm-accept"),
    )
    staff.get_by_text("the proposal is now “Team forming”").wait_for()
    step(staff, "04-accepted")

    proposal = Proposal.objects.get(title="Outdoor Leadership")
    assert proposal.state == State.TEAM_FORMING
    assert [e.transition for e in proposal.transitions.all()] == [
        "",
        "triage",
        "accept",
    ]

    page.goto(proposal.get_absolute_url())
    assert page.get_by_text("Called Fran; strong fit").is_visible()
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role(
        "link",
        name="Sam Taylor accepted your proposal “Outdoor Leadership”; the team is "
        "forming — invite collaborators",
    ).click()
    page.wait_for_url(f"**/proposals/{proposal.pk}/team/")
    step(page, "05-proposer-notifications")
