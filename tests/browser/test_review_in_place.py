"""In real Chromium: staff comment on a badge's alignments from the draft page without
the page loading again; the team sees the comment beside the field in the editor,
replies, resolves and reopens it, and sees it on the submit confirmation; staff
forward the draft only once they confirm the open comment."""

import pytest

from approvals import services as workflow
from metadata_templates import services
from metadata_templates.schema import normalise
from tests.browser.test_interest_to_accept import confirm, sign_in
from tests.factories import complete_draft

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_staff_comment_in_place_and_the_team_answers_in_the_editor(
    welding_editors, new_page, step
):
    proposal, fran, _dana = welding_editors
    complete_draft(proposal)
    workflow.perform(proposal, "submit_draft", user=proposal.proposer)
    key = next(
        b["key"]
        for b in normalise(services.latest(proposal).content)["badges"]
        if b["level"] == "1"
    )

    sam = new_page()
    sign_in(sam, "sam")
    sam.goto(f"/proposals/{proposal.pk}/template/drafts/1/")
    sam.evaluate("window.stillHere = true")
    loads = len(new_page.loads)
    slot = sam.locator(f"#slot-{key}-alignments")
    slot.get_by_role("link").click()
    slot.get_by_label("Your comment for the team").fill("Name the ASME standard.")
    step(sam, "40-comment-form-in-place")
    slot.get_by_role("button", name="Add comment").click()
    sam.locator(".field-comments", has_text="Name the ASME standard.").wait_for()
    # The page did not navigate: same document, no load, the form closed.
    assert sam.evaluate("window.stillHere") is True
    assert len(new_page.loads) == loads
    assert slot.locator("form").count() == 0
    step(sam, "41-comment-added-in-place")
    # The page's forward confirmation lists the new comment and asks to confirm it,
    # without a reload.
    forward = sam.locator("details.confirm-inline", has_text="Forward to the Steering")
    forward.locator("summary").click()
    forward.get_by_text("Name the ASME standard.").wait_for()
    forward.get_by_label("Forward with 1 open comment").wait_for()
    assert len(new_page.loads) == loads
    forward.locator("summary").click()

    confirm(sam, "Request revisions", "One comment on the alignments.")

    fran.goto(f"/proposals/{proposal.pk}/template/")
    fran.get_by_text("1 open comment").wait_for()
    fran.goto(f"/proposals/{proposal.pk}/template/?section=badge-{key}")
    comment = fran.locator(".field-comments li", has_text="Name the ASME standard.")
    # A reply reloads the page: typed template text not yet saved is asked about.
    summary = fran.locator("#template-form textarea").first
    summary.fill("Typed, not saved.")
    asked = []
    fran.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    comment.get_by_text("Reply", exact=True).click()
    comment.get_by_label("Reply to").fill("Added ASME Y14.5-2018.")
    comment.get_by_role("button", name="Send reply").click()
    assert asked and "not saved" in asked[0]
    assert summary.input_value() == "Typed, not saved."
    # Going on anyway sends the reply.
    fran.once("dialog", lambda dialog: dialog.accept())
    comment.get_by_role("button", name="Send reply").click()
    fran.get_by_text("Reply added.").wait_for()
    step(fran, "42-editor-comment-reply")

    fran.get_by_role("button", name="Mark resolved").click()
    fran.get_by_text("Comment resolved").wait_for()
    comment = fran.locator(".field-comments li", has_text="Name the ASME standard.")
    comment.get_by_text("resolved the comment").wait_for()
    step(fran, "43-editor-comment-resolved")
    # Whoever resolved it may take that back.
    comment.get_by_role("button", name="Reopen").click()
    fran.get_by_text("Comment reopened.").wait_for()

    fran.goto(f"/proposals/{proposal.pk}/transition/submit_draft/")
    fran.get_by_text("1 open review comment").wait_for()
    fran.get_by_text("Answered by a reply").wait_for()
    step(fran, "44-submit-with-open-comment")
    fran.get_by_role("button", name="Confirm: Submit draft for review").click()
    fran.get_by_text("the proposal is now").wait_for()

    # A second tab of Sam's holds a comment typed on Draft 2 while the first tab
    # forwards the draft.
    tab = new_page()
    sign_in(tab, "sam")
    tab.goto(f"/proposals/{proposal.pk}/template/drafts/2/")
    late = tab.locator("#slot--summary")
    late.get_by_role("link").click()
    late.get_by_label("Your comment for the team").fill("Mention the employers.")

    sam.goto(f"/proposals/{proposal.pk}/transition/forward_to_committee/")
    sam.get_by_role("button", name="Confirm: Forward to the Steering Committee").click()
    sam.get_by_text("Confirm that the committee gets the draft").wait_for()
    step(sam, "45-forward-needs-confirmation")
    sam.get_by_label("Forward with 1 open comment").check()
    sam.get_by_role("button", name="Confirm: Forward to the Steering Committee").click()
    sam.get_by_text("the proposal is now").wait_for()

    # The late comment is refused in its box, with the reason and the text kept.
    late.get_by_role("button", name="Add comment").click()
    late.get_by_text("You cannot comment on the submitted draft").wait_for()
    box = late.get_by_label("Your comment for the team")
    assert box.input_value() == "Mention the employers."
    step(tab, "46-late-comment-refused-in-place")
