"""In real Chromium: staff invite `designer`, who signs in, accepts, sees the team."""

import re

import pytest

from proposals.models import State
from teams.models import Membership, Role
from teams.services import form_team
from tests.browser.test_interest_to_accept import sign_in
from tests.factories import ProposalFactory, UserFactory, staff_user

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_staff_invite_designer_who_accepts_and_sees_the_team(
    new_page, step, mailoutbox
):
    staff_user(username="staff", first_name="Sam", last_name="Taylor")
    UserFactory(
        username="designer",
        first_name="Dana",
        last_name="Ellis",
        email="designer@maine.edu",
    )
    proposal = ProposalFactory(
        title="Sustainable Forestry Operations", state=State.TEAM_FORMING
    )
    form_team(proposal)

    staff = new_page()
    sign_in(staff, "staff")
    staff.goto(proposal.get_absolute_url())
    staff.get_by_role(
        "link", name="Development team, meetings and employer input"
    ).click()
    staff.get_by_role("link", name="Invite").click()
    staff.get_by_label("Email").fill("designer@maine.edu")
    staff.get_by_label("Role").select_option(label="Instructional designer")
    staff.get_by_role("combobox", name="Campus").select_option(
        label="University of Maine at Augusta"
    )
    staff.get_by_label("Personal message").fill("We need your help with assessments.")
    step(staff, "10-invite-form")
    staff.get_by_role("button", name="Send invitation").click()
    staff.get_by_text("Invitation sent to designer@maine.edu").wait_for()
    step(staff, "11-team-with-invitation")

    link = re.search(r"https?://\S+/team-invitations/\S+/", mailoutbox[-1].body).group(
        0
    )
    path = "/" + link.split("/", 3)[3]

    designer = new_page()
    designer.goto(path)
    step(designer, "12-invitation-signed-out")
    designer.locator("#main").get_by_role("link", name="Sign in").click()
    designer.get_by_label("Username").fill("designer")
    designer.get_by_label("Password").fill("pw")
    designer.get_by_role("button", name="Sign in").click()
    designer.get_by_role("button", name="Accept and join the team").click()
    designer.get_by_text("Welcome to the team!").wait_for()
    step(designer, "13-team-after-accepting")

    designer.get_by_role("link", name="Dashboard").first.click()
    teams = designer.get_by_role("region", name="My development teams")
    assert teams.get_by_role(
        "link", name="Sustainable Forestry Operations"
    ).is_visible()
    step(designer, "14-designer-dashboard")

    membership = Membership.objects.get(user__username="designer")
    assert (membership.role, membership.campus.short_name) == (Role.DESIGNER, "UMA")
