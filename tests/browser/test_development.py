"""The development pathway in real Chromium: a team member adds evidence and works
on the launch checklist, staff see who is ready, verify and award, and she sees her
badges on her dashboard; an instructor awards a mapped badge to a learner. Every new
page is screenshotted and checked with axe-core."""

import pytest

from development import pathway
from development.models import Item
from proposals.models import State
from tests.browser.test_interest_to_accept import sign_in
from tests.development.conftest import LEVEL1, evidence, person_on_team
from tests.factories import UserFactory, course_mapping, staff_user

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_evidence_checklist_and_awards(new_page, step):
    pathway.ensure(UserFactory(username="root", is_superuser=True))
    dana, proposal = person_on_team(State.APPROVED)
    dana.username, dana.first_name, dana.last_name = "dana", "Dana", "Ellis"
    dana.save()
    evidence(dana, {**LEVEL1, Item.STARTER: None})
    staff_user(username="sam", first_name="Sam", last_name="Reyes")

    page = new_page()
    sign_in(page, "dana")
    page.goto("/development/")
    page.get_by_label("Requirement").select_option(label="Level 3 reflection")
    page.get_by_label("Description").fill("What launching taught me.")
    page.get_by_label("Link").fill("example.edu/reflection")
    page.get_by_role("button", name="Add evidence").click()
    page.get_by_text("Evidence added.").wait_for()
    step(page, "development-1-my-pathway")

    page.goto(f"/proposals/{proposal.pk}/launch/")
    page.get_by_label("Issuing option").fill("UMS badging platform")
    page.get_by_label("Communication plan").fill("Campus news in March.")
    page.get_by_label("Marketing infographic", exact=True).fill("One page.")
    page.get_by_label("Campus website contribution", exact=True).fill("A page.")
    step(page, "development-2-launch-checklist")
    page.get_by_role("button", name="Save the checklist").click()
    page.get_by_text("Launch checklist saved.").wait_for()

    staff = new_page()
    sign_in(staff, "sam")
    staff.goto("/development/staff/?ready=3")
    step(staff, "development-3-who-is-ready")
    for level in ("1", "2", "3"):
        staff.locator(f"#award-{dana.pk}-{level}").check()
    staff.get_by_role("button", name="Verify and award the chosen badges").click()
    staff.get_by_text("Level 3 reflection").first.wait_for()
    step(staff, "development-4-verify")
    staff.get_by_role("button", name="Confirm: award").click()
    staff.get_by_text("4 badges awarded").wait_for()

    page.goto("/dashboard/")
    assert page.get_by_role("link", name="Held").count() == 4
    step(page, "development-5-dashboard")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_an_instructor_awards_a_learner(new_page, step):
    instructor = UserFactory(username="ina", first_name="Ina", last_name="Ward")
    mapping = course_mapping(instructor, state="approved")
    page = new_page()
    sign_in(page, "ina")
    page.goto(mapping.get_absolute_url())
    page.get_by_role("link", name="Award badges to learners").click()
    page.get_by_label("Recipients").fill("Lee Learner, lee@example.edu")
    step(page, "development-6-course-award")
    page.get_by_role("button", name="Award", exact=True).click()
    page.get_by_text("Awarded to 1 learner,").wait_for()
    step(page, "development-7-course-awarded")
