"""What each state freezes, as a state × action table: every action is done through
the service that performs it, in every state; the state either allows it or refuses
it with a message naming the state, and a refusal changes nothing."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from approvals import services as approvals
from approvals.models import RoundComment, VotingRound
from metadata_templates import services as drafts
from metadata_templates.forms import AttachmentForm, CommentForm
from metadata_templates.models import (
    Attachment,
    BadgeArtwork,
    ReviewComment,
    SubmittedDraft,
)
from metadata_templates.schema import normalise
from proposals.forms import InterestForm
from proposals.models import InterestFormEdit, Proposal, State
from teams import services as teams
from teams.forms import EmployerInputForm
from teams.models import CollaboratorCall, EmployerInput, Invitation
from tests.factories import (
    ProposalFactory,
    committee_member,
    complete_draft,
    confirmed_team,
    staff_user,
)

S = State
# The design's table ("What each state freezes"), written out here on its own so
# that the code's table is checked against it rather than against itself.
# The proposal's attachments ("attach": letters of support, employer letters) change
# with its record; the working draft's change with the template.
DESIGN = {
    S.SUBMITTED: {"interest_form", "attach"},
    S.IN_TRIAGE: {"interest_form", "attach"},
    S.TEAM_FORMING: {"team", "calls", "record", "attach"},
    S.DRAFTING: {
        "team",
        "calls",
        "record",
        "template",
        "artwork",
        "resolve",
        "attach",
    },
    S.UNDER_REVIEW: {"team", "record", "comment", "resolve", "attach"},
    S.COMMITTEE_REVIEW: {"committee", "record", "attach"},
    S.APPROVED: {"artwork", "launch"},
    S.PUBLISHED: set(),
    S.RETIRED: set(),
    S.DECLINED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "navy").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def world(db):
    """A proposal with everything each action needs: a team, a revision, a
    submitted draft with a comment, and an open voting round."""
    staff = staff_user()
    member = committee_member()

    def make(state):
        proposal = ProposalFactory(state=state)
        team = confirmed_team(proposal)
        revision = complete_draft(proposal)
        draft = SubmittedDraft.objects.create(
            proposal=proposal, number=1, revision=revision
        )
        comment = ReviewComment.objects.create(
            draft=draft, field="title", body="Shorter, please.", author=staff
        )
        round_ = VotingRound.objects.create(proposal=proposal, draft=draft)
        return {
            "proposal": proposal,
            "team": team,
            "revision": revision,
            "draft": draft,
            "comment": comment,
            "round": round_,
            "staff": staff,
            "member": member,
        }

    return make


def _team(w):
    teams.invite(w["team"], by=w["staff"], email="new@example.edu", role="faculty")
    return Invitation.objects.filter(team=w["team"]).count()


def _calls(w):
    teams.open_call(w["team"], by=w["staff"], sought="A designer")
    return CollaboratorCall.objects.filter(team=w["team"]).count()


def _record(w):
    form = EmployerInputForm(
        {
            "person": "Dana",
            "organisation": "Bath Iron Works",
            "given_on": "2026-10-01",
            "summary": "Needs blueprint reading.",
        }
    )
    assert form.is_valid(), form.errors
    teams.record_employer_input(form, w["team"], w["staff"])
    return EmployerInput.objects.filter(team=w["team"]).count()


def _template(w):
    content = normalise(w["revision"].content)
    content["credential"]["title"] = "A new title"
    drafts.save(w["proposal"], w["staff"], content, based_on=w["revision"].number)
    return w["proposal"].revisions.count()


def _comment(w):
    form = CommentForm(
        {"field": "summary", "badge": "", "body": "Say who it is for."},
        content=w["revision"].content,
    )
    assert form.is_valid(), form.errors
    drafts.add_comment(form, w["draft"], w["staff"])
    return ReviewComment.objects.filter(draft=w["draft"]).count()


def _resolve(w):
    drafts.resolve_comment(w["comment"], w["staff"])
    return ReviewComment.objects.filter(draft=w["draft"], resolved_at=None).count()


def _committee(w):
    approvals.add_round_comment(w["round"], w["member"], "I have a question.")
    return RoundComment.objects.filter(round=w["round"]).count()


def _artwork(w):
    key = normalise(w["revision"].content)["badges"][0]["key"]
    drafts.set_artwork(w["proposal"], key, _png(), w["staff"])
    return BadgeArtwork.objects.filter(proposal=w["proposal"]).count()


def _attach(w):
    form = AttachmentForm(
        {"attached_to": "proposal", "kind": "support_letter"},
        {"file": SimpleUploadedFile("letter.png", _png())},
        targets=["proposal"],
    )
    assert form.is_valid(), form.errors
    drafts.add_attachment(w["proposal"], form, w["staff"])
    return Attachment.objects.filter(proposal=w["proposal"]).count()


def _interest_form(w):
    proposal = w["proposal"]
    data = {
        "proposer_name": proposal.proposer_name,
        "proposer_email": proposal.proposer_email,
        "campus": proposal.campus_id,
        "title": "A better title",
        "credential_type": proposal.credential_type,
        "pathway_type": proposal.pathway_type,
        "description": proposal.description,
        "target_audience": proposal.target_audience,
    }
    form = InterestForm(data, instance=proposal, editing=True)
    assert form.is_valid(), form.errors
    approvals.edit_interest_form(form, proposal.proposer)
    return InterestFormEdit.objects.filter(proposal=proposal).count()


def _launch(w):
    from development import services as development
    from development.forms import ChecklistForm

    checklist = development.checklist_of(w["proposal"])
    form = ChecklistForm({"issuing_option": "Credly"}, instance=checklist)
    assert form.is_valid(), form.errors
    development.save_checklist(w["proposal"], form, by=w["staff"])


ACTIONS = {
    "interest_form": _interest_form,
    "team": _team,
    "calls": _calls,
    "record": _record,
    "template": _template,
    "comment": _comment,
    "resolve": _resolve,
    "committee": _committee,
    "artwork": _artwork,
    "launch": _launch,
    "attach": _attach,
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", DESIGN)
def test_each_state_allows_or_refuses_each_action(world, state, action):
    w = world(state)
    do = ACTIONS[action]
    if action in DESIGN[state]:
        do(w)
        return
    # What the action would have counted, had it been allowed: nothing may change.
    before = {name: count(w) for name, count in _COUNTS.items()}
    with pytest.raises(ValidationError) as refused:
        do(w)
    message = " ".join(refused.value.messages)
    assert str(State(state).label) in message, message
    assert message.startswith("You cannot")
    assert {name: count(w) for name, count in _COUNTS.items()} == before


_COUNTS = {
    "invitations": lambda w: Invitation.objects.filter(team=w["team"]).count(),
    "calls": lambda w: CollaboratorCall.objects.filter(team=w["team"]).count(),
    "inputs": lambda w: EmployerInput.objects.filter(team=w["team"]).count(),
    "revisions": lambda w: w["proposal"].revisions.count(),
    "comments": lambda w: ReviewComment.objects.filter(draft=w["draft"]).count(),
    "unresolved": lambda w: ReviewComment.objects.filter(
        draft=w["draft"], resolved_at=None
    ).count(),
    "round comments": lambda w: RoundComment.objects.filter(round=w["round"]).count(),
    "artworks": lambda w: BadgeArtwork.objects.filter(proposal=w["proposal"]).count(),
    "attachments": lambda w: Attachment.objects.filter(proposal=w["proposal"]).count(),
    "interest edits": lambda w: InterestFormEdit.objects.filter(
        proposal=w["proposal"]
    ).count(),
    "title": lambda w: Proposal.objects.get(pk=w["proposal"].pk).title,
    "checklists": lambda w: Proposal.objects.filter(
        pk=w["proposal"].pk, launch_checklist__isnull=False
    ).count(),
}


def test_the_code_table_is_the_design_table():
    from proposals.freezes import ALLOWED

    assert {state: set(ALLOWED[state]) for state in DESIGN} == DESIGN
    assert set(ALLOWED) == set(State.values)


def test_a_meeting_of_a_published_credential_cannot_be_rewritten(client, world):
    w = world(S.PUBLISHED)
    meeting = w["team"].meetings.create(
        held_on=datetime.date(2026, 9, 1), agenda="Kick-off"
    )
    meeting.attendees.set(w["team"].memberships.all())
    lead = w["proposal"].proposer
    client.force_login(lead)
    response = client.post(
        f"/proposals/{w['proposal'].pk}/team/meetings/{meeting.pk}/",
        {
            "held_on": "2026-09-01",
            "attendees": [m.pk for m in w["team"].memberships.all()],
            "agenda": "Rewritten history",
        },
    )
    assert response.status_code == 200
    assert "Published" in response.content.decode()
    assert "Rewritten history" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.agenda == "Kick-off"


@pytest.mark.parametrize(
    "name", ["teams:invite", "teams:meeting_new", "teams:employer_input_new"]
)
def test_a_frozen_form_is_not_offered(client, world, name):
    w = world(S.PUBLISHED)
    client.force_login(w["proposal"].proposer)
    response = client.get(reverse(name, args=[w["proposal"].pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "teams:detail", args=[w["proposal"].pk]
    )
    text = response.content.decode()
    assert "while the proposal is “Published”" in text
    for form in ("teams:invite", "teams:meeting_new", "teams:employer_input_new"):
        assert reverse(form, args=[w["proposal"].pk]) not in text
