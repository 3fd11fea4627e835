"""DESIGN.md "Who sees what", checked from the outside: a signed-in user with no part in
a proposal opens no address of it in any state, the public pages and the public PDF
carry no kind of internal text, similarity hints are duplicate-effort cards, and
individual votes follow the round."""

import datetime
import subprocess

import pytest
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.verification import require_verification
from approvals.models import RoundComment, Vote, VotingRound
from credentials import pdf
from credentials.catalog import index_credential
from metadata_templates.demo_content import complete_content
from metadata_templates.models import (
    Attachment,
    ReviewComment,
    Revision,
    SubmittedDraft,
)
from proposals import policy
from proposals.lookups import get_proposal_for_user
from proposals.models import Level, Proposal, State, TransitionLog
from proposals.notifications import recipients
from teams import services as team_services
from teams.models import EmployerInput, Invitation, Meeting, Membership, Role
from tests.factories import (
    ProposalFactory,
    UserFactory,
    campus,
    chair_user,
    committee_member,
    confirmed_team,
    staff_user,
)

# One marker per kind of internal text the design names; none may reach the public.
INTERNAL = {
    "meeting agenda": "Agenda-kept-internal",
    "meeting notes": "Notes-kept-internal",
    "meeting decisions": "Decisions-kept-internal",
    "employer person": "Erin Employerperson",
    "employer organisation": "Contactco Holdings",
    "employer said": "Employer-said-internal",
    "employer partners field": "Partner-field-internal",
    "communication plan": "Comms-plan-internal",
    "marketing notes": "Marketing-internal",
    "review comment": "Review-comment-internal",
    "workflow note": "Workflow-note-internal",
    "vote comment": "Vote-comment-internal",
    "round discussion": "Round-discussion-internal",
    "decision note": "Decision-note-internal",
    "later revision": "Later-revision-internal",
    "proposer email": "fran.secret@example.edu",
    "proposer phone": "207-555-0199",
    "proposer name": "Franziska Proposerova",
    "team member": "Tilda Teammember",
    "staff name": "Stella Staffperson",
    "chair name": "Chester Chairperson",
    "committee tally": "Votes / eligible",
    "committee section": "Steering Committee",
    "workflow history": "Workflow history",
    "team section": "Development team",
}


@pytest.fixture
def world(db):
    """A published credential with every kind of internal record the design names."""
    proposer = UserFactory(
        username="franziska", first_name="Franziska", last_name="Proposerova"
    )
    staff = staff_user(first_name="Stella", last_name="Staffperson")
    chair = chair_user(first_name="Chester", last_name="Chairperson")
    voter = committee_member()
    proposal = ProposalFactory(
        proposer=proposer,
        proposer_name="Franziska Proposerova",
        proposer_email="fran.secret@example.edu",
        proposer_phone="207-555-0199",
        state=State.PUBLISHED,
        title="Applied Welding",
    )
    team = confirmed_team(proposal)
    Membership.objects.create(
        team=team,
        user=UserFactory(first_name="Tilda", last_name="Teammember"),
        role=Role.FACULTY,
        campus=campus("UMF"),
    )
    meeting = Meeting.objects.create(
        team=team,
        held_on=datetime.date(2026, 10, 1),
        agenda=INTERNAL["meeting agenda"],
        notes=INTERNAL["meeting notes"],
        decisions=INTERNAL["meeting decisions"],
    )
    meeting.attendees.set(team.memberships.all())
    EmployerInput.objects.create(
        team=team,
        person=INTERNAL["employer person"],
        organisation=INTERNAL["employer organisation"],
        given_on=datetime.date(2026, 10, 2),
        summary=INTERNAL["employer said"],
    )
    content = complete_content(
        proposal.title,
        list(Level.values),
        pathway_type=proposal.pathway_type,
        audience="Adult learners",
        campus=str(proposal.campus),
    )
    content["credential"].update(
        employer_partners=INTERNAL["employer partners field"],
        communication_plan=INTERNAL["communication plan"],
        marketing_notes=INTERNAL["marketing notes"],
    )
    approved = Revision.objects.create(proposal=proposal, number=1, content=content)
    draft = SubmittedDraft.objects.create(
        proposal=proposal, number=1, revision=approved, submitted_by=proposer
    )
    ReviewComment.objects.create(
        draft=draft, field="summary", body=INTERNAL["review comment"], author=staff
    )
    index_credential(proposal)
    later = {**content, "credential": {**content["credential"]}}
    later["credential"]["summary"] = INTERNAL["later revision"]
    Revision.objects.create(proposal=proposal, number=2, content=later)
    TransitionLog.objects.create(
        proposal=proposal,
        transition="publish",
        source=State.APPROVED,
        target=State.PUBLISHED,
        actor=staff,
        note=INTERNAL["workflow note"],
    )
    round_ = VotingRound.objects.create(
        proposal=proposal,
        draft=draft,
        outcome=VotingRound.Outcome.APPROVE,
        closed_at=timezone.now(),
        closed_by=chair,
        decision_note=INTERNAL["decision note"],
    )
    Vote.objects.create(
        round=round_, voter=voter, choice="approve", comment=INTERNAL["vote comment"]
    )
    RoundComment.objects.create(
        round=round_, author=voter, body=INTERNAL["round discussion"]
    )
    # An invitation from before publication (a published team takes none now).
    invitation = Invitation.objects.create(
        team=team,
        email="ivy@example.edu",
        role=Role.FACULTY,
        token_hash=team_services.hash_token("ivy"),
        invited_by=staff,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    attachment = Attachment.objects.create(
        proposal=proposal,
        attached_to=Attachment.Target.DRAFT,
        kind=Attachment.Kind.EMPLOYER_LETTER,
        name="letter.pdf",
        content_type="application/pdf",
        size=9,
        data=b"%PDF-1.4\n",
    )
    draft.attachments.add(attachment)
    proposal.refresh_from_db()
    return {
        "proposal": proposal,
        "attachment": attachment,
        "team": team,
        "meeting": meeting,
        "draft": draft,
        "comment": ReviewComment.objects.get(),
        "round": round_,
        "invitation": invitation,
        "member": team.memberships.exclude(role=Role.LEAD).first(),
        "staff": staff,
        "chair": chair,
        "voter": voter,
    }


# What each URL argument of a proposal's addresses stands for in `world`.
ARGUMENTS = {
    "pk": lambda w: w["proposal"].pk,
    "round_id": lambda w: w["round"].pk,
    "invitation_id": lambda w: w["invitation"].pk,
    "member_id": lambda w: w["member"].pk,
    "call_id": lambda w: 1,
    "request_id": lambda w: 1,
    "meeting_id": lambda w: w["meeting"].pk,
    "number": lambda w: 1,
    "comment_id": lambda w: w["comment"].pk,
    "attachment_id": lambda w: w["attachment"].pk,
    "key": lambda w: w["proposal"].catalog_badges.first().key,
    "name": lambda w: "withdraw",
    "decision": lambda w: "accept",
    "action": lambda w: "comment",
}
# Public by design (DESIGN.md, first row): the catalog and its exports.
PUBLIC_NAMESPACES = {"catalog", "admin"}


def _proposal_addresses(patterns, prefix=""):
    """(view name, argument names) of every address about one proposal or its round."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in PUBLIC_NAMESPACES:
                continue
            extra = set(pattern.pattern.regex.groupindex)
            for name, arguments in _proposal_addresses(
                pattern.url_patterns,
                f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix,
            ):
                yield name, arguments | extra
        elif isinstance(pattern, URLPattern) and pattern.name:
            arguments = set(pattern.pattern.regex.groupindex)
            yield prefix + pattern.name, arguments


def proposal_addresses() -> list[tuple[str, set[str]]]:
    return sorted(
        (name, arguments)
        for name, arguments in _proposal_addresses(get_resolver().url_patterns)
        if arguments & {"pk", "round_id"}
    )


def test_every_proposal_address_is_covered():
    """A new address needs a meaning for each of its arguments here."""
    addresses = proposal_addresses()
    assert len(addresses) > 25
    for name, arguments in addresses:
        assert arguments <= ARGUMENTS.keys(), name


@pytest.mark.parametrize("state", State.values)
def test_no_part_in_the_proposal_opens_none_of_its_addresses(client, world, state):
    """The row "signed in, no part in this proposal" over every address of it, in
    every state: 404 (or 405 for a method the address does not take), never a page,
    a redirect or a 403 that would tell the proposal exists."""
    Proposal.objects.filter(pk=world["proposal"].pk).update(state=state)
    client.force_login(UserFactory(username="nobody"))
    for name, arguments in proposal_addresses():
        url = reverse(name, kwargs={a: ARGUMENTS[a](world) for a in arguments})
        answers = {client.get(url).status_code, client.post(url).status_code}
        assert answers <= {404, 405} and 404 in answers, (name, answers)


@pytest.mark.parametrize("state", [State.DRAFTING, State.PUBLISHED])
def test_an_unverified_newcomer_is_sent_to_their_dashboard(client, world, state):
    """A brand-new account that has not confirmed its email opens nothing of any
    proposal either: every address sends it back to its dashboard."""
    Proposal.objects.filter(pk=world["proposal"].pk).update(state=state)
    newcomer = UserFactory(username="newcomer")
    require_verification(newcomer)
    client.force_login(newcomer)
    for name, arguments in proposal_addresses():
        url = reverse(name, kwargs={a: ARGUMENTS[a](world) for a in arguments})
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, name
            assert response.url == reverse("dashboard"), name


def _pdf_text(data: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


def test_public_pdf_has_no_internal_text(client, world):
    response = client.get(reverse("catalog:summary", args=[world["proposal"].pk]))
    text = _pdf_text(response.content)
    assert "How the badges stack" in text
    assert [kind for kind, marker in INTERNAL.items() if marker in text] == []


def test_public_pdf_shows_the_approved_drafts_learner_content(client, world):
    text = _pdf_text(
        client.get(reverse("catalog:summary", args=[world["proposal"].pk])).content
    )
    approved = world["draft"].revision.content
    assert approved["credential"]["summary"][:40] in text
    assert approved["badges"][0]["criteria"].split()[0] in text
    assert "Estimated hours" in text and "Criteria" in text


def test_office_pdf_carries_the_internal_record_for_its_readers(world):
    text = _pdf_text(
        pdf.render_pdf(world["proposal"], internal=True, reader=world["staff"])
    )
    for kind in ("meeting notes", "employer said", "review comment", "workflow note"):
        assert INTERNAL[kind] in text, kind


def test_office_pdf_refuses_a_reader_with_no_part(world):
    with pytest.raises(pdf.PermissionDenied):
        pdf.render_pdf(world["proposal"], internal=True, reader=UserFactory())


def test_public_credential_page_has_no_internal_text(client, world):
    page = client.get(reverse("catalog:credential", args=[world["proposal"].pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert [kind for kind, marker in INTERNAL.items() if marker in html] == []


def test_similarity_hint_is_a_duplicate_effort_card(client, world):
    """Title, campus and state of a proposal the user cannot open; no description,
    no names, no link."""
    proposal = world["proposal"]
    Proposal.objects.filter(pk=proposal.pk).update(
        state=State.DRAFTING, description="Weld-description-internal welding"
    )
    client.force_login(UserFactory(username="nobody"))
    page = client.get(reverse("proposals:similar"), {"title": "Applied Welding"})
    html = page.content.decode()
    assert "Applied Welding" in html
    assert proposal.campus.name in html
    assert "Drafting" in html
    assert "Weld-description-internal" not in html
    assert "Proposerova" not in html and "Teammember" not in html
    assert proposal.get_absolute_url() not in html
    assert "<a href" not in html.split("card-footer")[0]
    # A score moved by the hidden description would let a reader probe it.
    assert "%" not in html.split("card-footer")[0]


def test_similarity_hint_links_a_record_its_reader_may_open(client, world):
    client.force_login(world["proposal"].proposer)
    page = client.get(reverse("proposals:similar"), {"title": "Applied Welding"})
    assert world["proposal"].get_absolute_url() in page.content.decode()
    assert "%" in page.content.decode()


def test_duplicate_card_holds_title_campus_and_state_only(world):
    card = policy.duplicate_card(world["proposal"])
    assert set(vars(card)) == {"title", "campus", "state"}


@pytest.mark.parametrize(
    ("who", "while_open", "once_closed"),
    [
        ("staff", True, True),
        ("chair", True, True),
        ("voter", False, True),
        ("proposer", False, True),
        ("teammate", False, True),
        ("nobody", False, False),
    ],
)
def test_who_sees_individual_votes(world, who, while_open, once_closed):
    round_ = world["round"]
    user = {
        "proposer": world["proposal"].proposer,
        "teammate": world["member"].user,
        "nobody": UserFactory(username="nobody"),
    }.get(who) or world[who]
    assert policy.can_see_votes(round_, user) is once_closed
    round_.closed_at = None
    assert policy.can_see_votes(round_, user) is while_open


def test_committee_member_sees_no_votes_on_the_round_page_while_open(client, world):
    round_ = world["round"]
    VotingRound.objects.filter(pk=round_.pk).update(closed_at=None)
    Proposal.objects.filter(pk=world["proposal"].pk).update(
        state=State.COMMITTEE_REVIEW
    )
    client.force_login(committee_member())
    page = client.get(reverse("committee:round", args=[round_.pk]))
    assert page.status_code == 200
    assert INTERNAL["vote comment"] not in page.content.decode()
    client.force_login(world["staff"])
    page = client.get(reverse("committee:round", args=[round_.pk]))
    assert INTERNAL["vote comment"] in page.content.decode()


def test_transition_news_reaches_only_readers_of_the_record(world):
    proposal = world["proposal"]
    outsider = UserFactory(username="nobody")
    entry = TransitionLog.objects.create(
        proposal=proposal,
        transition="retire",
        source=State.PUBLISHED,
        target=State.RETIRED,
        actor=world["staff"],
    )
    told = recipients(entry)
    assert told and outsider not in told
    assert all(policy.can_view_record(proposal, user) for user in told)
    readers = set(
        type(outsider).objects.filter(policy.record_readers(proposal)).distinct()
    )
    assert outsider not in readers and world["voter"] in readers


def test_office_pdf_hides_an_open_rounds_tally_from_the_team(world):
    VotingRound.objects.filter(pk=world["round"].pk).update(closed_at=None)
    proposal = world["proposal"]
    for_team = _pdf_text(
        pdf.render_pdf(proposal, internal=True, reader=proposal.proposer)
    )
    for_staff = _pdf_text(
        pdf.render_pdf(proposal, internal=True, reader=world["staff"])
    )
    assert INTERNAL["committee tally"] not in for_team
    assert INTERNAL["committee tally"] in for_staff


def test_the_proposal_lookup_agrees_with_the_policys_queryset(rf, world):
    """get_proposal_for_user answers for one proposal what visible_to answers for a
    whole list, and reads each person's part in the team with it."""
    proposal, team = world["proposal"], world["team"]
    lead = team.memberships.get(role=Role.LEAD).user
    people = {
        "proposer": proposal.proposer,
        "lead": lead,
        "member": world["member"].user,
        "staff": world["staff"],
        "chair": world["chair"],
        "voter": world["voter"],
        "outsider": UserFactory(),
    }
    assert policy.LEAD == Role.LEAD
    for who, user in people.items():
        request = rf.get("/")
        request.user = user
        visible = Proposal.objects.visible_to(user).filter(pk=proposal.pk).exists()
        try:
            found = get_proposal_for_user(request, proposal.pk)
        except Http404:
            found = None
        assert (found is not None) == visible, who
        if found is not None:
            roles = (policy.is_member(found, user), policy.is_lead(found, user))
            fresh = Proposal.objects.get(pk=proposal.pk)
            assert roles == (
                policy.is_member(fresh, user),
                policy.is_lead(fresh, user),
            ), who
    assert visible is False
