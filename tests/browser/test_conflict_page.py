"""In real Chromium: one editor removes a badge while the other edits it; the second
resolves the conflict page by keeping the badge with the edit, and nothing typed on
the page is lost (a new alignment included)."""

import pytest

from metadata_templates import services

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_removed_and_edited_badge_is_resolved_on_the_conflict_page(
    welding_editors, step
):
    proposal, fran, dana = welding_editors
    macro = next(
        b["key"]
        for b in services.latest(proposal).content["badges"]
        if b["level"] == "macro"
    )

    # Fran removes the macro-badge; Dana, from the same revision, edits it and
    # adds an alignment to it, each in the badge's own section.
    for page in (fran, dana):
        page.get_by_role("link", name="Welding Fundamentals Micro-Credential").click()
    fran.locator(f"#id_b-{macro}-remove").check()
    fran.get_by_role("button", name="Save this section").click()
    fran.get_by_text("Saved as revision 2.").wait_for()
    dana.locator(f"#id_b-{macro}-criteria").fill("Hold Levels 1, 2 and 3.")
    dana.locator(f"#id_b-{macro}-al-new-framework").fill("AWS")
    dana.locator(f"#id_b-{macro}-al-new-code").fill("SENSE Level I")
    dana.get_by_role("button", name="Save this section").click()
    dana.get_by_text("Nothing was saved yet").wait_for()
    assert dana.locator(f"#id_b-{macro}-criteria").input_value() == (
        "Hold Levels 1, 2 and 3."
    )
    decide = dana.get_by_role("group", name="Someone removed this badge")
    decide.scroll_into_view_if_needed()
    step(dana, "30-removed-and-edited-conflict")

    # Saving without choosing keeps everything on the page and asks again.
    dana.get_by_role("button", name="Save as a new revision").click()
    dana.get_by_text("Keep the badge or remove it.").wait_for()
    assert dana.locator(f"#id_b-{macro}-criteria").input_value() == (
        "Hold Levels 1, 2 and 3."
    )
    assert proposal.revisions.count() == 2
    dana.get_by_label("Keep the badge").check()
    dana.get_by_role("button", name="Save as a new revision").click()
    dana.get_by_text("Saved as revision 3.").wait_for()
    # The badge images render on the server; let them finish before the test ends.
    for page in (fran, dana):
        page.wait_for_load_state("networkidle")

    badge = next(
        b for b in services.latest(proposal).content["badges"] if b["key"] == macro
    )
    assert badge["criteria"] == "Hold Levels 1, 2 and 3."
    assert badge["level"] == "macro"
    assert [(a["framework"], a["code"]) for a in badge["alignments"]] == [
        ("AWS", "SENSE Level I")
    ]
