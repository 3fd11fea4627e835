"""Keyboard-only use: a committee member votes and a proposer submits an interest form
without a mouse, and the focused element is always visibly outlined."""

import pytest

from approvals import services
from approvals.models import Vote
from proposals.models import Proposal, State
from tests.browser.test_interest_to_accept import sign_in
from tests.factories import (
    ProposalFactory,
    UserFactory,
    committee_member,
    complete_draft,
    staff_user,
)

pytestmark = pytest.mark.browser


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies the JS predicate `el => ...`,
    checking on the way that every focused element shows a visible outline."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        # Focus passing through the browser itself lands on <body>: nothing to see.
        outline = page.evaluate(
            "() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return e === document.body ? null"
            " : [s.outlineStyle, s.boxShadow, e.outerHTML.slice(0, 100)]; }"
        )
        assert outline is None or outline[:2] != ["none", "none"], outline
        if page.evaluate(f"({predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_member_votes_with_the_keyboard_alone(new_page, step):
    committee_member(username="member1", first_name="Morgan", last_name="Lee")
    proposal = ProposalFactory(title="Harbor Pilot Basics", state=State.UNDER_REVIEW)
    complete_draft(proposal)
    services.perform(proposal, "forward_to_committee", user=staff_user(username="s"))
    page = new_page()
    sign_in(page, "member1")
    page.goto(f"/committee/rounds/{proposal.rounds.get().pk}/")
    _tab_to(page, "el => el.type === 'radio'")
    # Arrow keys move between the choices of a radio group.
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.labels[0].textContent").strip() == (
        "Reject"
    )
    page.keyboard.press("ArrowUp")
    _tab_to(page, "el => (el.value || el.textContent).trim() === 'Record my vote'")
    step(page, "k01-vote-focused")
    page.keyboard.press("Enter")
    page.get_by_text("Your vote is recorded").wait_for()
    assert Vote.objects.get().choice == "approve"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_an_interest_form_is_submitted_with_the_keyboard_alone(new_page, step):
    UserFactory(username="fran", first_name="Fran", last_name="Acker")
    page = new_page()
    sign_in(page, "fran")
    page.goto("/proposals/new/")
    values = {
        "id_title": "Lobster Processing Safety",
        "id_description": "Safe processing lines for Maine lobster plants.",
        "id_target_audience": "Plant workers",
    }
    _tab_to(page, "el => el.id === 'id_campus'")
    page.keyboard.press("ArrowDown")
    for field, text in values.items():
        _tab_to(page, f"el => el.id === '{field}'")
        page.keyboard.type(text)
    _tab_to(page, "el => el.type === 'radio' && el.name === 'pathway_type'")
    page.keyboard.press("Space")
    _tab_to(
        page,
        "el => (el.value || el.textContent).trim() === 'Submit interest form'",
        120,
    )
    step(page, "k02-interest-form-focused")
    page.keyboard.press("Enter")
    page.get_by_text("Your interest form is in").wait_for()
    proposal = Proposal.objects.get()
    assert (proposal.title, proposal.target_audience) == (
        "Lobster Processing Safety",
        "Plant workers",
    )
