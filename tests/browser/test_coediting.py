"""In real Chromium: two team members edit the same draft at once in two browser
contexts; both edits end up in the draft, or a conflict is shown and nothing is lost."""

import pytest

from metadata_templates import services

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_two_members_edit_the_same_draft(welding_editors, step):
    proposal, fran, dana = welding_editors
    level1 = services.latest(proposal).content["badges"][0]["key"]
    url = f"/proposals/{proposal.pk}/template/"

    # Different sections at once: both land, the second save is merged.
    dana.get_by_role("link", name="Welding Fundamentals Level 1").click()
    fran.locator("#id_c-summary").fill("Learners weld safely to AWS standards.")
    dana.locator(f"#id_b-{level1}-criteria").fill("Pass the MIG weld test.")
    step(dana, "19-badge-section")
    fran.get_by_role("button", name="Save this section").click()
    fran.get_by_text("Saved as revision 2.").wait_for()
    dana.get_by_role("button", name="Save this section").click()
    dana.get_by_text("Saved as revision 3.").wait_for()
    assert dana.get_by_text(
        "Merged with changes saved meanwhile by others: Summary"
    ).is_visible()
    step(dana, "20-merged-save")

    # The same field at once: the second editor sees both versions and decides.
    fran.goto(url)
    dana.goto(url)
    fran.locator("#id_c-category").fill("Welding Technology")
    dana.locator("#id_c-category").fill("Skilled Trades")
    fran.get_by_role("button", name="Save this section").click()
    fran.get_by_text("Saved as revision 4.").wait_for()
    dana.get_by_role("button", name="Save this section").click()
    dana.get_by_text("Nothing was saved yet").wait_for()
    assert dana.get_by_text("Welding Technology").first.is_visible()
    assert dana.locator("#id_c-category").input_value() == "Skilled Trades"
    step(dana, "21-conflict")
    dana.locator("#id_c-category").fill("Welding Technology — Skilled Trades")
    dana.get_by_role("button", name="Save as a new revision").click()
    dana.get_by_text("Saved as revision 5.").wait_for()
    dana.get_by_role("link", name="Badge images").click()
    dana.get_by_role("heading", name="Badge images").wait_for()
    dana.wait_for_load_state("networkidle")
    step(dana, "22-badge-images-section")

    latest = services.latest(proposal)
    content = latest.content
    assert latest.number == 5
    assert content["credential"]["summary"] == "Learners weld safely to AWS standards."
    assert content["badges"][0]["criteria"] == "Pass the MIG weld test."
    assert content["credential"]["category"] == "Welding Technology — Skilled Trades"
    assert proposal.revisions.get(number=4).content["credential"]["category"] == (
        "Welding Technology"
    )
