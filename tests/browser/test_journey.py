"""The whole life of a micro-credential in real Chromium, across every role: faculty
propose it, staff triage and accept it and invite a designer and an employer partner,
the team meets and co-edits a Level 1-3 + macro pathway, staff request revisions with
comments, the team revises and resubmits, the committee votes and the chair closes,
staff publish, and an anonymous visitor finds it in the catalog and downloads its Open
Badges definition, badge image and PDF. Every step is screenshotted and checked with
axe-core."""

import json
import re
from datetime import date, timedelta

import pytest

from credentials.models import CatalogBadge
from credentials.openbadges import ob3_problems
from metadata_templates.demo_content import complete_content
from proposals.models import Proposal, State
from tests.browser.test_interest_to_accept import confirm as _confirm
from tests.browser.test_interest_to_accept import sign_in
from tests.factories import UserFactory, chair_user, committee_member, staff_user

pytestmark = pytest.mark.browser

TITLE = "Coastal Aquaculture Technician"
SKIP = {"key", "level", "alignments", "prerequisites"}


def _fill(page, name: str, value) -> None:
    if value in ("", [], None):
        return
    field = page.locator(f"[name='{name}']")
    kind = field.first.evaluate("e => e.tagName + ':' + (e.type || '')")
    if kind.startswith("SELECT"):
        field.select_option(str(value))
    elif kind.endswith(":checkbox"):
        for item in value:
            page.locator(f"[name='{name}'][value='{item}']").check()
    else:
        field.fill(str(value))


def _fill_template(page, content: dict) -> dict[str, str]:
    """Type the whole template into the editor; returns badge keys by level."""
    for key, value in content["credential"].items():
        _fill(page, f"c-{key}", value)
    by_level = {b["level"]: b for b in content["badges"]}
    keys = {}
    for name, level in page.eval_on_selector_all(
        "select[name$='-level']", "els => els.map(e => [e.name, e.value])"
    ):
        key = name.removeprefix("b-").removesuffix("-level")
        keys[level] = key
        for field, value in by_level[level].items():
            if field not in SKIP:
                _fill(page, f"b-{key}-{field}", value)
    # The pathway stacks by default: each level requires the one below it.
    for lower, upper in (("1", "2"), ("2", "3"), ("3", "macro")):
        assert page.locator(
            f"[name='b-{keys[upper]}-prerequisites'][value='{keys[lower]}']"
        ).is_checked()
    return keys


def _log_meeting(page, days_ago: int, agenda: str) -> None:
    page.locator("summary", has_text="Log a meeting").click()
    page.get_by_label("Date").fill(
        (date.today() - timedelta(days=days_ago)).isoformat()
    )
    for person in ("Fran Acker", "Dana Ellis", "Pat Moreau"):
        page.get_by_label(person).check()
    page.get_by_label("Agenda").fill(agenda)
    page.get_by_label("Decisions").fill("Levels agreed; Dana drafts the rubrics.")
    page.get_by_role("button", name="Save meeting").click()
    page.get_by_text(agenda).wait_for()


def _accept_invitation(new_page, mailoutbox, address: str, username: str):
    body = next(m.body for m in reversed(mailoutbox) if address in m.to)
    assert re.search(r"https?://\S+/team-invitations/\S+/", body)
    # Signed in, the invitation waits on the dashboard, answered in one click.
    page = new_page()
    sign_in(page, username)
    page.get_by_role("button", name="Accept and join the team").click()
    page.get_by_text("Welcome to the team!").wait_for()
    return page


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_micro_credential_from_interest_form_to_the_public_catalog(
    new_page, step, mailoutbox
):
    UserFactory(username="faculty", first_name="Fran", last_name="Acker")
    staff_user(username="staff", first_name="Sam", last_name="Taylor")
    UserFactory(
        username="designer",
        first_name="Dana",
        last_name="Ellis",
        email="designer@maine.edu",
    )
    UserFactory(
        username="partner", first_name="Pat", last_name="Moreau", email="pat@bay.com"
    )
    chair_user(username="chair", first_name="Chris", last_name="Hale")
    for n in range(1, 4):
        committee_member(
            username=f"member{n}", first_name=f"Member{n}", last_name="Lee"
        )

    # Faculty propose.
    fran = new_page()
    sign_in(fran, "faculty")
    step(fran, "j01-dashboard")
    fran.get_by_role("link", name="New interest form").click()
    fran.get_by_role("combobox", name="Campus").select_option(
        label="University of Maine at Machias"
    )
    fran.get_by_label("Proposed title").fill(TITLE)
    fran.get_by_label("Workforce development").check()
    fran.get_by_label("Description").fill(
        "Hatchery and farm technicians learn water quality, husbandry and biosecurity "
        "on Maine's working waterfront."
    )
    fran.get_by_label("Target audience").fill("Aquaculture workers and career changers")
    step(fran, "j02-interest-form")
    fran.get_by_role("button", name="Submit interest form").click()
    fran.get_by_text("Your interest form is in").wait_for()
    step(fran, "j03-submitted")
    proposal = Proposal.objects.get(title=TITLE)

    # Staff triage and accept it in one step, from their "Needs your action" list,
    # and invite the designer (found by name) and the employer partner.
    sam = new_page()
    sign_in(sam, "staff")
    step(sam, "j04-staff-needs-action")
    sam.get_by_role("link", name="Triage the new interest form").click()
    # Accepted, the proposal's team page opens: staff invite the team from there.
    _confirm(sam, "Triage and accept", "Strong fit; Machias and Augusta both teach it.")
    step(sam, "j05-accepted")
    sam.locator("summary", has_text="Invite").click()
    sam.get_by_label("Find people with an account").fill("Dana")
    sam.get_by_role("button", name="Add Dana Ellis").click()
    sam.get_by_label("Role").select_option(label="Instructional designer")
    sam.get_by_role("combobox", name="Campus").select_option(
        label="University of Maine at Augusta"
    )
    step(sam, "j06-invite-found-by-name")
    sam.get_by_role("button", name="Send invitation").click()
    sam.get_by_text("Invitation sent to designer@maine.edu").wait_for()
    sam.locator("summary", has_text="Invite").click()
    sam.get_by_label("Email addresses").fill("pat@bay.com")
    sam.get_by_label("Role").select_option(label="Employer / industry partner")
    sam.get_by_label("Organisation").fill("Bay Shellfish Farms")
    sam.get_by_role("button", name="Send invitation").click()
    sam.get_by_text("Invitation sent to pat@bay.com").wait_for()
    step(sam, "j06b-team-invitations")

    dana = _accept_invitation(new_page, mailoutbox, "designer@maine.edu", "designer")
    step(dana, "j07-designer-joined")
    _accept_invitation(new_page, mailoutbox, "pat@bay.com", "partner")

    # The lead starts development and the team logs its meetings.
    # Started, the team page opens, where the meetings are logged.
    fran.goto(proposal.get_absolute_url())
    _confirm(fran, "Start development")
    _log_meeting(fran, 9, "Kick-off: levels and evidence")
    _log_meeting(fran, 2, "Review of the first full draft")
    step(fran, "j08-team-and-meetings")

    # The team co-edits the pathway.
    fran.get_by_role("link", name="Meta-data template").click()
    fran.get_by_role("link", name="Every section on one page").click()
    content = complete_content(
        TITLE,
        ["1", "2", "3", "macro"],
        pathway_type="workforce",
        audience="Aquaculture workers and career changers",
        campus="University of Maine at Machias",
    )
    content["credential"]["category"] = "Marine Sciences"
    keys = _fill_template(fran, content)
    fran.get_by_role("button", name="Save as a new revision").click()
    fran.get_by_text("Saved as revision 2.").wait_for()
    dana.goto(f"/proposals/{proposal.pk}/template/?section=badge-{keys['2']}")
    dana.locator(f"#id_b-{keys['2']}-evidence").fill(
        "A hatchery log of two weeks, scored with the water-quality rubric."
    )
    dana.get_by_role("button", name="Save this section").click()
    dana.get_by_text("Saved as revision 3.").wait_for()
    dana.get_by_text("Meets the UMS framework.").wait_for()
    step(dana, "j09-editor-co-edited")

    # Submitted from the editor, where the framework check passed.
    fran.goto(f"/proposals/{proposal.pk}/template/")
    _confirm(fran, "Submit draft for review", "Levels 1-3 and the macro-badge.")
    step(fran, "j10-submitted-draft")

    # Staff comment on the draft and request revisions.
    sam.goto(proposal.get_absolute_url())
    sam.get_by_role("link", name="Draft 1").click()
    # Made in place: the comment appears without the page loading again.
    criteria = sam.locator(f"#slot-{keys['1']}-criteria")
    criteria.get_by_role("link").click()
    criteria.get_by_label("Your comment for the team").fill("Say what the quiz covers.")
    criteria.get_by_role("button", name="Add comment").click()
    sam.locator(".field-comments", has_text="Say what the quiz covers.").wait_for()
    step(sam, "j11-review-comment")
    # Decided on the draft just read.
    _confirm(sam, "Request revisions", "One comment on Level 1.")

    # The team revises, resolves the comment and resubmits.
    fran.goto(f"/proposals/{proposal.pk}/template/?section=badge-{keys['1']}")
    fran.locator(".field-comments", has_text="Say what the quiz covers.").wait_for()
    fran.locator(f"#id_b-{keys['1']}-criteria").fill(
        "Pass the 20-question quiz on water quality and biosecurity (80 %)."
    )
    fran.get_by_role("button", name="Save this section").click()
    fran.get_by_text("Saved as revision 4.").wait_for()
    fran.get_by_role("button", name="Mark resolved").click()
    step(fran, "j12-revised")
    # The editor offers the submission once the draft meets the framework.
    _confirm(fran, "Submit draft for review", "The quiz is described.")

    sam.goto(proposal.get_absolute_url())
    _confirm(sam, "Forward to the Steering Committee", "Meets the framework.")

    # The committee votes, each in their "Needs your action" list; the chair closes
    # the round from there.
    for username in ("member1", "member2", "member3", "chair"):
        voter = new_page()
        sign_in(voter, username)
        if username == "member1":
            step(voter, "j13-member-needs-action")
        voter.locator("summary", has_text="Vote here").click()
        voter.get_by_label("Approve", exact=True).check()
        voter.get_by_role("button", name="Record my vote").click()
        voter.get_by_text("Your vote is recorded").wait_for()
        if username != "chair":
            voter.context.close()
    # With every vote in, the chair's list offers the round's closing.
    step(voter, "j14-round-before-closing")
    voter.get_by_role("link", name="Close the voting round").click()
    voter.get_by_label("The committee's comments for the team").fill(
        "Approved: strong employer commitment."
    )
    voter.get_by_role("button", name="Close the round and record the decision").click()
    voter.get_by_text(f"The committee approved “{TITLE}”.").wait_for()
    step(voter, "j15-round-closed")

    # Staff publish.
    sam.goto(proposal.get_absolute_url())
    _confirm(sam, "Publish", "Live for the spring term.")
    step(sam, "j16-published")
    proposal.refresh_from_db()
    assert proposal.state == State.PUBLISHED

    # A visitor finds it and downloads what issuing platforms need.
    visitor = new_page()
    visitor.goto("/")
    visitor.get_by_role("searchbox", name="Find a badge you can earn").fill(
        "aquaculture"
    )
    step(visitor, "j17a-home-search")
    visitor.get_by_role("button", name="Search the catalog").click()
    step(visitor, "j17-catalog-search")
    visitor.get_by_role("link", name=f"{TITLE} Micro-Credential").click()
    step(visitor, "j18-credential-page")
    macro = CatalogBadge.objects.get(proposal=proposal, level="macro")
    achievement = json.loads(
        visitor.request.get(macro.export_url("achievement.json")).body()
    )
    assert ob3_problems(achievement) == []
    assert achievement["achievementType"] == "MicroCredential"
    assert "Requires first" in achievement["criteria"]["narrative"]
    image = visitor.request.get(macro.export_url("image.png"))
    assert image.headers["content-type"] == "image/png"
    pdf = visitor.request.get(f"/catalog/{proposal.pk}/summary.pdf")
    assert pdf.body().startswith(b"%PDF")
    print(f"journey page loads: {len(new_page.loads)}")
    # 79 before actions were confirmed in place, invitations accepted and votes cast
    # from the dashboard, and each action's page led to where the work goes on.
    assert len(new_page.loads) <= 56
    assert [e.transition for e in proposal.transitions.all()] == [
        "",
        "triage",
        "accept",
        "start_development",
        "submit_draft",
        "request_revisions",
        "submit_draft",
        "forward_to_committee",
        "approve",
        "publish",
    ]
