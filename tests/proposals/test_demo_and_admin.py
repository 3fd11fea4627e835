import io

from django.core.management import call_command
from django.urls import reverse

from approvals.demo import ACCOUNTS
from credentials.models import CatalogBadge
from metadata_templates import framework, uploads
from metadata_templates.merge import diff
from metadata_templates.models import Attachment, SubmittedDraft
from metadata_templates.schema import BADGE_LABELS
from proposals.models import Proposal, State, TransitionLog


def test_demo_data_holds_every_state_and_is_idempotent(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "faculty" in out.getvalue() and "password 'demo'" in out.getvalue()
    assert set(Proposal.objects.values_list("state", flat=True)) == set(State.values)
    counts = (Proposal.objects.count(), TransitionLog.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Proposal.objects.count(), TransitionLog.objects.count()) == counts


def test_demo_accounts_sign_in_with_the_documented_password(client, db):
    call_command("load_demo", stdout=io.StringIO())
    for username, *_ in ACCOUNTS:
        assert client.login(username=username, password="demo"), username


def test_demo_histories_were_walked_through_the_workflow(db):
    call_command("load_demo", stdout=io.StringIO())
    walked = Proposal.objects.exclude(transitions__transition=TransitionLog.IMPORTED)
    assert walked.count() == 12
    for proposal in walked:
        entries = list(proposal.transitions.all())
        assert entries[0].target == State.SUBMITTED
        assert entries[-1].target == proposal.state
        assert all(
            a.target == b.source for a, b in zip(entries, entries[1:], strict=False)
        )


def test_admin_transition_goes_through_the_workflow_service(
    client, site_admin, proposal
):
    client.force_login(site_admin)
    url = reverse("admin:proposals_proposal_transition", args=[proposal.pk, "triage"])
    response = client.post(url, {"note": "From the admin."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.IN_TRIAGE
    entry = TransitionLog.objects.get()
    assert (entry.actor, entry.note) == (site_admin, "From the admin.")


def test_admin_refuses_a_decline_without_reason(client, site_admin, proposal):
    client.force_login(site_admin)
    url = reverse("admin:proposals_proposal_transition", args=[proposal.pk, "decline"])
    response = client.post(url, {"note": ""}, follow=True)
    assert "Give the proposer a reason" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED


def test_admin_pages_render(client, site_admin, proposal):
    client.force_login(site_admin)
    for url in [
        reverse("admin:proposals_proposal_changelist"),
        reverse("admin:proposals_proposal_change", args=[proposal.pk]),
        reverse("admin:proposals_transitionlog_changelist"),
        reverse("admin:proposals_notification_changelist"),
        reverse("admin:teams_campus_changelist"),
    ]:
        assert client.get(url).status_code == 200, url


def test_demo_teams_span_campuses_with_meetings_and_employer_input(db):
    call_command("load_demo", stdout=io.StringIO())
    developed = list(
        Proposal.objects.filter(transitions__transition="start_development").distinct()
    )
    assert len(developed) == 7
    for proposal in developed:
        team = proposal.team
        assert proposal.team_problems() == [], proposal
        assert team.meetings.count() >= 2, proposal
        assert team.employer_inputs.exists(), proposal
    members = {m.user.username for p in developed for m in p.team.memberships.all()}
    assert {"designer", "partner"} <= members
    forming = Proposal.objects.get(state=State.TEAM_FORMING)
    assert forming.team.calls.filter(closed_at=None).exists()
    assert forming.team.invitations.pending().exists()


def test_demo_drafts_keep_the_files_they_were_submitted_with(db):
    call_command("load_demo", stdout=io.StringIO())
    # The imported catalog's credentials have drafts too, but no team that attached.
    walked = Proposal.objects.exclude(transitions__transition=TransitionLog.IMPORTED)
    first_drafts = SubmittedDraft.objects.filter(
        number=1, proposal__in=walked
    ).prefetch_related("attachments")
    assert len(first_drafts) >= 5
    for draft in first_drafts:
        files = list(draft.attachments.all())
        assert [f.kind for f in files] == [Attachment.Kind.SYLLABUS], draft.proposal
        assert all(f.uploaded_at <= draft.submitted_at for f in files)
    letter = Attachment.objects.filter(kind=Attachment.Kind.EMPLOYER_LETTER).first()
    assert uploads.recognise(bytes(letter.data)) == uploads.FileType.PDF


def test_demo_holds_a_pathway_with_a_review_round(db):
    call_command("load_demo", stdout=io.StringIO())
    proposal = Proposal.objects.get(title="Wooden Boatbuilding Craft")
    assert proposal.state == State.COMMITTEE_REVIEW
    assert proposal.revisions.count() >= 4
    first, second = proposal.drafts.order_by("number")
    assert first.comments.count() == 2
    assert set(second.answered_comments.all()) == set(first.comments.all())
    levels = [b["level"] for b in second.revision.content["badges"]]
    assert levels == ["1", "2", "3", "macro"]
    level1 = second.revision.content["badges"][0]
    assert "80 %" in level1["passing_threshold"]
    assert framework.findings_for(proposal) == []


def test_template_admin_pages_render(client, site_admin, db):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(site_admin)
    for name in ["revision", "submitteddraft", "reviewcomment", "lastseen"]:
        url = reverse(f"admin:metadata_templates_{name}_changelist")
        assert client.get(url).status_code == 200, url


def test_demo_imports_the_partner_catalog_with_its_pathway(db):
    call_command("load_demo", stdout=io.StringIO())
    imported = CatalogBadge.objects.filter(proposal__issuer__slug="cmcc")
    assert imported.count() == 34
    service = {b.name: b for b in imported.filter(name__startswith="Service ")}
    assert {n: b.level for n, b in service.items()} == {
        "Service Basics": "1",
        "Service Practitioner": "2",
        "Service Mastery": "3",
        "Service Excellence": "macro",
    }
    assert [p.name for p in service["Service Excellence"].prerequisites.all()] == [
        "Service Mastery"
    ]
    assert len({b.proposal_id for b in service.values()}) == 1


def test_demo_revisions_are_dated_within_their_history(db):
    """Each revision is dated before the draft that froze it and after the step
    before; a returned draft comes back as a new revision whose comparison shows
    the fields the team changed, badge by badge."""
    call_command("load_demo", stdout=io.StringIO())
    walked = Proposal.objects.exclude(transitions__transition=TransitionLog.IMPORTED)
    for proposal in walked.filter(revisions__isnull=False).distinct():
        times = list(proposal.revisions.values_list("created_at", flat=True))
        assert times == sorted(times), proposal
        assert times[0] > proposal.created_at
        for draft in proposal.drafts.select_related("revision"):
            assert draft.revision.created_at <= draft.submitted_at, proposal
    returned = Proposal.objects.get(title="Marine Aquaculture Technician")
    first, second = (d.revision for d in returned.drafts.order_by("number"))
    assert first != second
    changes = diff(first.content, second.content)
    assert [(c.label, c.kind) for c in changes] == [
        (str(BADGE_LABELS["courses"]), "changed")
    ]
    assert "Downeast Institute" in changes[0].new
    for proposal in walked.filter(revisions__number=2).distinct():
        one, two = proposal.revisions.order_by("number")[:2]
        assert {c.kind for c in diff(one.content, two.content)} <= {"changed"}
