"""Attachments in real Chromium: the lead of a team in drafting attaches a rubric to
the working draft, a refused file comes back with what she typed, and the file is
listed on the proposal page and downloads as she uploaded it. Every page is
screenshotted and checked with axe-core."""

import pytest
from weasyprint import HTML

from approvals import services as workflow
from teams.services import form_team
from tests.browser.test_interest_to_accept import sign_in
from tests.factories import (
    ProposalFactory,
    UserFactory,
    campus,
    log_meetings,
    staff_user,
)

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_lead_attaches_a_rubric_to_the_working_draft(
    new_page, step, tmp_path, settings
):
    settings.ATTACHMENT_MAX_BYTES = 10_000
    lead = UserFactory(username="fran", first_name="Fran", last_name="Acker")
    proposal = ProposalFactory(
        proposer=lead, title="Welding Fundamentals", state="team_forming"
    )
    team = form_team(proposal)
    team.memberships.create(user=UserFactory(), role="faculty", campus=campus("UMA"))
    log_meetings(team)
    workflow.perform(proposal, "start_development", user=staff_user(username="sam"))
    rubric = tmp_path / "Welding rubric.pdf"
    rubric.write_bytes(HTML(string="<h1>Rubric</h1>").write_pdf())
    renamed = tmp_path / "photo.png"
    renamed.write_text("<html><script>alert(1)</script></html>")
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"%" * 20_000)

    page = new_page()
    sign_in(page, "fran")
    page.goto(f"/proposals/{proposal.pk}/")
    page.get_by_role("link", name="Add or remove attachments").click()
    page.get_by_role("radio", name="the working draft").check()
    page.get_by_label("Kind").select_option(label="Rubric")
    page.get_by_label("Description").fill("Scoring guide for the Level 2 weld test")
    # Over the cap: the browser refuses it before sending anything.
    page.get_by_label("File").set_input_files(str(big))
    message = page.get_by_label("File").evaluate("input => input.validationMessage")
    assert message == "The file is larger than the 9 KB limit."
    page.get_by_label("File").set_input_files(str(renamed))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("its content says so, whatever its name").wait_for()
    assert page.get_by_label("Description").input_value() == (
        "Scoring guide for the Level 2 weld test"
    )
    step(page, "attachments-1-refused")

    page.get_by_label("File").set_input_files(str(rubric))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("is attached to the working draft").wait_for()
    step(page, "attachments-2-attached")

    page.get_by_role("link", name=proposal.reference).click()
    listed = page.get_by_role("link", name="Welding_rubric.pdf")
    listed.wait_for()
    step(page, "attachments-3-proposal-page")
    with page.expect_download() as download:
        listed.click()
    assert download.value.suggested_filename == "Welding_rubric.pdf"
    assert download.value.path().read_bytes() == rubric.read_bytes()

    page.goto(f"/proposals/{proposal.pk}/template/")
    page.get_by_role("link", name="Welding_rubric.pdf").wait_for()
    step(page, "attachments-4-editor")
