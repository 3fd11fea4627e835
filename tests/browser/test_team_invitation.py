"""In real Chromium: staff invite `designer`, who signs in, accepts, sees the team."""

import re

import pytest
from django.urls import reverse

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
    staff.locator("summary", has_text="Invite").click()
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_lead_picks_people_by_name_and_never_sees_their_addresses(new_page, step):
    for username, first, last in [("chair", "Chris", "Hale"), ("ml", "Morgan", "Lee")]:
        UserFactory(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@secret.edu",
        )
    lead = UserFactory(username="lead", first_name="Lee", last_name="Lead")
    team = form_team(ProposalFactory(proposer=lead, state=State.TEAM_FORMING))

    page = new_page()
    sign_in(page, "lead")
    page.goto(reverse("teams:invite", args=[team.proposal_id]))
    search = page.get_by_label("Find people with an account")
    search.fill("chair")
    page.get_by_text("No one found").wait_for()
    for name in ("Chris", "Morgan"):
        search.fill(name)
        page.get_by_role("button", name=f"Add {name}").click()
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Choose the campus these people come from: Chris Hale").wait_for()
    step(page, "15-lead-invite-error-names-people")
    assert "secret.edu" not in page.content()
    page.get_by_role("combobox", name="Campus").select_option(
        label="University of Maine at Augusta"
    )
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to Chris Hale, Morgan Lee").wait_for()
    step(page, "16-lead-team-invitations-by-name")
    assert "secret.edu" not in page.content()
