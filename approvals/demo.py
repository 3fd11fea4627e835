"""Demo data: the accounts of the README and a proposal in every state of the workflow,
each walked there through the real workflow service so its timeline is genuine."""

from __future__ import annotations

import io
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.permissions import STAFF_GROUP
from approvals import services
from approvals.models import CommitteeTerm, RoundComment, Vote, VoteChange
from metadata_templates import framework
from metadata_templates import services as template_services
from metadata_templates.demo_content import complete_content
from metadata_templates.models import Attachment, CommentEvent, ReviewComment, Revision
from proposals import hooks
from proposals.models import (
    CredentialType,
    Level,
    PathwayType,
    Proposal,
    State,
    TransitionLog,
)
from teams import services as team_services
from teams.models import Campus, EmployerInput, Meeting, Membership, Role, Team

PASSWORD = "demo"

# username, first name, last name, role ("staff", "chair", "member" or ""), superuser
# (username, first name, last name, site role, superuser, what the demo has them do)
ACCOUNTS = [
    ("faculty", "Fran", "Acker", "", False, "proposer and team lead"),
    ("staff", "Sam", "Taylor", "staff", False, "micro-credential staff"),
    ("chair", "Chris", "Hale", "chair", False, "Steering Committee chair"),
    ("member1", "Morgan", "Lee", "member", False, "committee member"),
    ("member2", "Jordan", "Price", "member", False, "committee member"),
    ("member3", "Riley", "Nguyen", "member", False, "committee member"),
    ("member4", "Casey", "Brooks", "member", False, "committee member"),
    ("designer", "Dana", "Ellis", "", False, "instructional designer on teams"),
    ("partner", "Pat", "Moreau", "", False, "employer partner on teams"),
    ("proposer2", "Avery", "Martin", "", False, "another proposer"),
    ("admin", "Alex", "Admin", "", True, "site admin"),
]


@dataclass
class DemoProposal:
    title: str
    proposer: str
    campus: str
    credential_type: str
    pathway_type: str
    description: str
    audience: str
    steps: list[tuple[str, str, str]] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    partners: str = ""
    related: str = ""


PROPOSALS = [
    DemoProposal(
        "Early Childhood Brain-Based Guidance",
        "faculty",
        "UMF",
        CredentialType.STANDALONE,
        PathwayType.LIFELONG,
        "Educators learn the Conscious Discipline brain state model and apply it to "
        "child guidance in early childhood classrooms.",
        "Early childhood educators and afterschool professionals in Maine.",
        levels=[Level.LEVEL_1],
        partners="Maine Roads to Quality Professional Development Network",
    ),
    DemoProposal(
        "Cybersecurity Essentials for Small Business",
        "proposer2",
        "USM",
        CredentialType.PATHWAY,
        PathwayType.WORKFORCE,
        "Owners and employees of small businesses learn to recognise phishing, secure "
        "accounts and devices, and respond to a security incident.",
        "Small-business owners and their staff; IT generalists.",
        steps=[("triage", "staff", "Called the proposer; USM's cyber lab may host.")],
        partners="Maine Small Business Development Centers",
    ),
    DemoProposal(
        "Sustainable Forestry Operations",
        "faculty",
        "UMFK",
        CredentialType.PATHWAY,
        PathwayType.WORKFORCE,
        "Forest workers gain skills in sustainable harvesting, equipment safety and "
        "forest management planning, ending in a supervised field placement.",
        "Loggers, forestry technicians and career changers in northern Maine.",
        steps=[
            ("triage", "staff", ""),
            ("accept", "staff", "Strong employer demand; seeking UMaine and UMPI."),
        ],
        partners="Maine Forest Products Council; Professional Logging Contractors",
    ),
    DemoProposal(
        "Nursing Preceptor Leadership",
        "faculty",
        "UMA",
        CredentialType.PATHWAY,
        PathwayType.WORKFORCE,
        "Registered nurses learn to precept new graduates: adult learning, feedback, "
        "clinical assessment and preceptor well-being.",
        "Registered nurses in hospitals and long-term care across Maine.",
        steps=[
            ("triage", "staff", ""),
            ("accept", "staff", ""),
            ("start_development", "staff", "Team confirmed with USM and UMFK nursing."),
            ("submit_draft", "faculty", "First draft of the meta-data template."),
            (
                "request_revisions",
                "staff",
                "Level 3 needs a work-based assessment with performance feedback; "
                "add the evidence each level requires.",
            ),
        ],
        partners="MaineHealth; Northern Light Health",
    ),
    DemoProposal(
        "Data Literacy for Public Health",
        "proposer2",
        "UMaine",
        CredentialType.STANDALONE,
        PathwayType.LIFELONG,
        "Public health workers learn to read, question and present data: rates, "
        "charts, dashboards and their limits.",
        "Public health staff, community health workers, journalists.",
        levels=[Level.LEVEL_1, Level.LEVEL_2],
        steps=[
            ("triage", "staff", ""),
            ("accept", "staff", ""),
            ("start_development", "staff", ""),
            ("submit_draft", "proposer2", "Ready for review."),
        ],
    ),
    DemoProposal(
        "Wooden Boatbuilding Craft",
        "faculty",
        "UMM",
        CredentialType.PATHWAY,
        PathwayType.WORKFORCE,
        "Learners loft, steam-bend and plank traditional wooden boats, ending in a "
        "supervised placement at a Maine boatyard: Levels 1–3 and a macro-badge.",
        "Career changers, high-school graduates and boatyard employees on the coast.",
        steps=[
            ("triage", "staff", ""),
            ("accept", "staff", ""),
            ("start_development", "staff", ""),
            ("@draft", "designer", "partial"),
            ("@draft", "faculty", "complete"),
            ("submit_draft", "faculty", "Levels 1–3 and the macro-badge, first draft."),
            (
                "@comment",
                "staff",
                "3|feedback|Who gives the Level 3 feedback, and when? Name the role.",
            ),
            (
                "@comment",
                "staff",
                "|quality_assurance|Say which staff role verifies the evidence.",
            ),
            (
                "request_revisions",
                "staff",
                "Close: please answer the two comments on Level 3 and quality "
                "assurance.",
            ),
            ("@revise", "faculty", ""),
            ("submit_draft", "faculty", "Both comments answered."),
            ("forward_to_committee", "staff", "Meets the framework; recommended."),
            ("@vote", "member1", "approve|A model for the marine trades."),
            ("@vote", "member2", "approve|"),
            ("@vote", "member3", "return|Add how the boatyards verify Level 3."),
        ],
        partners="Maine Maritime Museum; Hodgdon Yachts",
    ),
    DemoProposal(
        "Marine Aquaculture Technician",
        "faculty",
        "UMM",
        CredentialType.PATHWAY,
        PathwayType.WORKFORCE,
        "Learners gain hatchery, water-quality and husbandry skills for shellfish and "
        "finfish farms, with an internship at a Maine aquaculture site.",
        "High-school graduates, career changers and current farm workers.",
        steps=[
            ("triage", "staff", ""),
            ("accept", "staff", ""),
            ("start_development", "staff", ""),
            ("submit_draft", "faculty", ""),
            ("forward_to_committee", "staff", ""),
            (
                "return_for_revision",
                "chair",
                "Name the hatcheries that will host the Level 3 internships.",
            ),
            (
                "@edit",
                "faculty",
                "3|courses|AQU-300: a 120-hour supervised internship at a host "
                "hatchery: Downeast Institute (Beals), Mook Sea Farm (Walpole) or "
                "Cooke Aquaculture (Machiasport).",
            ),
            ("submit_draft", "faculty", "Host hatcheries named for Level 3."),
            ("forward_to_committee", "staff", ""),
            ("approve", "chair", "Approved: a clear pathway with committed employers."),
        ],
        partners="Maine Aquaculture Association; Downeast Institute",
    ),
    DemoProposal(
        "Precision Machining Fundamentals",
        "proposer2",
        "UMPI",
        CredentialType.PATHWAY,
        PathwayType.WORKFORCE,
        "Blueprint reading, CNC milling and CNC lathes, ending in a paid work-based "
        "placement with a Maine manufacturer.",
        "Entry-level machinists and manufacturing employees seeking to upskill.",
        steps=[
            ("triage", "staff", ""),
            ("accept", "staff", ""),
            ("start_development", "staff", ""),
            ("submit_draft", "proposer2", ""),
            ("forward_to_committee", "staff", ""),
            ("approve", "chair", ""),
            ("publish", "staff", "Live in the catalog."),
        ],
        related="WDB-011: Blueprint Reading; WDB-013: CNC Milling I; "
        "WDB-015: CNC Lathes I",
        partners="Maine Manufacturing Extension Partnership",
    ),
    DemoProposal(
        "COVID-19 Readiness: Retail Foundations",
        "faculty",
        "UMA",
        CredentialType.STANDALONE,
        PathwayType.WORKFORCE,
        "Best practices to keep retail employees, vendors and customers safe and "
        "healthy during a pandemic.",
        "Retail employees, Retail Association of Maine members.",
        levels=[Level.LEVEL_1],
        steps=[
            ("triage", "staff", ""),
            ("accept", "staff", ""),
            ("start_development", "staff", ""),
            ("submit_draft", "faculty", ""),
            ("forward_to_committee", "staff", ""),
            ("approve", "chair", ""),
            ("publish", "staff", ""),
            ("retire", "staff", "Pandemic guidance no longer current."),
        ],
        partners="Retail Association of Maine",
    ),
    DemoProposal(
        "Blockchain for Legal Practice",
        "proposer2",
        "Maine Law",
        CredentialType.STANDALONE,
        PathwayType.LIFELONG,
        "Lawyers learn how smart contracts and distributed ledgers work and what they "
        "mean for contracts, evidence and compliance.",
        "Practising attorneys and paralegals.",
        levels=[Level.LEVEL_1],
        steps=[
            (
                "decline",
                "staff",
                "Maine Law's continuing legal education programme covers this; we "
                "have put you in touch with them.",
            )
        ],
    ),
    DemoProposal(
        "Drone Remote Sensing for Agriculture",
        "faculty",
        "UMPI",
        CredentialType.PATHWAY,
        PathwayType.WORKFORCE,
        "Farm workers learn to fly drones under FAA Part 107 and turn imagery into "
        "crop health maps.",
        "Farm workers and agronomy technicians in Aroostook County.",
        steps=[
            ("triage", "staff", ""),
            ("accept", "staff", ""),
            ("start_development", "staff", ""),
            ("submit_draft", "faculty", ""),
            ("forward_to_committee", "staff", ""),
            (
                "reject",
                "chair",
                "Overlaps with the existing FAA certification; no Level 3 placement "
                "partner was found.",
            ),
        ],
    ),
    DemoProposal(
        "Workplace Collaboration Skills",
        "faculty",
        "USM",
        CredentialType.STANDALONE,
        PathwayType.WORKFORCE,
        "Learners practise working productively with different people toward a common "
        "goal: active listening, diverse perspectives, solution focus.",
        "Students and employees in any field.",
        levels=[Level.LEVEL_1],
        steps=[
            ("triage", "staff", ""),
            (
                "withdraw",
                "faculty",
                "We will map our course to the Education Design Lab's Collaboration "
                "badge instead of building a new one.",
            ),
        ],
    ),
]


def _accounts() -> dict[str, User]:
    users = {}
    for username, first, last, role, superuser, _does in ACCOUNTS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.maine.edu",
            },
        )
        user.is_superuser = user.is_staff = superuser
        user.set_password(PASSWORD)
        user.save()
        user.groups.set(
            Group.objects.filter(name=STAFF_GROUP) if role == "staff" else []
        )
        if role in ("chair", "member"):
            CommitteeTerm.objects.get_or_create(
                user=user, role=role, defaults={"starts_on": date(2025, 9, 1)}
            )
        users[username] = user
    return users


# Where the demo's team members come from when they join someone else's team.
HOME_CAMPUS = {"faculty": "UMaine", "proposer2": "USM", "designer": "UMA"}


def _join(team: Team, user: User, role: str, *, campus=None, organisation="") -> None:
    Membership.objects.get_or_create(
        team=team,
        user=user,
        defaults={"role": role, "campus": campus, "organisation": organisation},
    )


def _staff_team(proposal: Proposal, spec: DemoProposal, users: dict[str, User]) -> None:
    """A team across campuses with an instructional designer and an employer."""
    team = proposal.team
    colleague = "proposer2" if spec.proposer == "faculty" else "faculty"
    campus = HOME_CAMPUS[colleague]
    if campus == spec.campus:
        campus = "UMPI"
    _join(
        team,
        users[colleague],
        Role.FACULTY,
        campus=Campus.objects.get(short_name=campus),
    )
    _join(
        team,
        users["designer"],
        Role.DESIGNER,
        campus=Campus.objects.get(short_name=HOME_CAMPUS["designer"]),
    )
    employer = (spec.partners or "Maine Department of Labor").split(";")[0].strip()
    _join(team, users["partner"], Role.EMPLOYER, organisation=employer)


def _log_meetings(proposal: Proposal, spec: DemoProposal, users, start) -> None:
    """The two meetings seed 003 asks for, and what the employer said."""
    team = proposal.team
    members = list(team.memberships.all())
    agendas = [
        (
            "Kick-off: framework levels, meta-data template, who drafts what.",
            "Walked through the UMS framework and the template; each member took a "
            "level to draft.",
            "Lead drafts Level 1; designer drafts assessments; partner reads Level 3.",
        ),
        (
            "Review of the first draft of every level; employer feedback.",
            "Compared the levels against the framework check; the partner confirmed "
            "the Level 3 placement.",
            "Submit the draft for review once the evidence for Level 2 is written.",
        ),
    ]
    for index, (agenda, notes, decisions) in enumerate(agendas):
        meeting = Meeting.objects.create(
            team=team,
            held_on=(start + timedelta(days=20 + 7 * index)).date(),
            agenda=agenda,
            notes=notes,
            decisions=decisions,
            recorded_by=users[spec.proposer],
        )
        meeting.attendees.set(members)
    partner = team.memberships.filter(role=Role.EMPLOYER).first()
    if partner:
        EmployerInput.objects.create(
            team=team,
            person=partner.user.get_full_name(),
            organisation=partner.organisation,
            given_on=(start + timedelta(days=24)).date(),
            summary="Employers need people who can show this skill on the job; a "
            "supervised placement at Level 3 would be welcomed and we can host two "
            "learners a term.",
            recorded_by=users[spec.proposer],
        )


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of text, as a scanned letter would be."""
    page = Image.new("L", (850, 1100), "white")
    draw = ImageDraw.Draw(page)
    for index, line in enumerate(lines):
        draw.text((80, 100 + 44 * index), line, fill="black", font_size=28)
    out = io.BytesIO()
    page.save(out, "PDF", resolution=100)
    return out.getvalue()


def _attach_files(proposal: Proposal, user: User) -> None:
    """What a team attaches before its first submission: the syllabus on the working
    draft (so Draft 1 keeps it), and the partner's letter on the proposal."""
    files = [
        (
            Attachment.Target.DRAFT,
            Attachment.Kind.SYLLABUS,
            "Syllabus.pdf",
            "Weekly outline, readings and the assessment of every level.",
            [proposal.title, "Syllabus", "Week 1: introduction and safety"],
        )
    ]
    partner = proposal.team.memberships.filter(role=Role.EMPLOYER).first()
    if partner:
        files.append(
            (
                Attachment.Target.PROPOSAL,
                Attachment.Kind.EMPLOYER_LETTER,
                "Letter_of_support.pdf",
                f"{partner.organisation} will host two learners a term at Level 3.",
                [partner.organisation, "Letter of support", proposal.title],
            )
        )
    for target, kind, name, description, lines in files:
        data = _pdf(lines)
        Attachment.objects.create(
            proposal=proposal,
            attached_to=target,
            kind=kind,
            name=name,
            description=description,
            content_type="application/pdf",
            size=len(data),
            data=data,
            uploaded_by=user,
        )


def _open_call(proposal: Proposal, users: dict[str, User]) -> None:
    """A team still forming: a call for collaborators and an invitation out."""
    team = proposal.team
    team_services.open_call(
        team,
        by=users["staff"],
        sought="Forestry or natural-resources faculty from UMaine or UMPI, and an "
        "employer partner from the logging industry.",
    )
    team_services.invite(
        team,
        by=users["staff"],
        email=users["partner"].email,
        role=Role.EMPLOYER,
        organisation="Professional Logging Contractors of Maine",
        message="Your members' view of the skills gap would shape Level 3.",
    )


def _demo_content(proposal: Proposal, spec: DemoProposal) -> dict:
    levels = (
        list(Level.values)
        if spec.credential_type == CredentialType.PATHWAY
        else spec.levels
    )
    return _keep_keys(
        proposal,
        complete_content(
            spec.title,
            levels,
            pathway_type=spec.pathway_type,
            audience=spec.audience,
            campus=str(proposal.campus),
        ),
    )


def _keep_keys(proposal: Proposal, content: dict) -> dict:
    """`content` with the badge keys the template already has (by level), as an
    editor keeps them: comparing revisions then shows what changed in each badge,
    not every badge removed and added."""
    current = template_services.latest(proposal)
    if current is None:
        return content
    existing = {badge["level"]: badge["key"] for badge in current.content["badges"]}
    renamed = {
        badge["key"]: existing[badge["level"]]
        for badge in content["badges"]
        if badge["level"] in existing
    }
    for badge in content["badges"]:
        badge["key"] = renamed.get(badge["key"], badge["key"])
        badge["prerequisites"] = [renamed.get(k, k) for k in badge["prerequisites"]]
    return content


def _edit(proposal: Proposal, user: User, text: str) -> None:
    """A team member changes one field ("level|field|text"; no level: the
    credential's) in a new revision."""
    level, name, value = text.split("|", 2)
    content = template_services.latest(proposal).content
    if level:
        next(b for b in content["badges"] if b["level"] == level)[name] = value
    else:
        content["credential"][name] = value
    _write(proposal, user, content, "")


def _write(proposal: Proposal, user: User, content: dict, note: str) -> None:
    current = template_services.latest(proposal)
    template_services.save(proposal, user, content, based_on=current.number, note=note)


def _draft(proposal: Proposal, spec: DemoProposal, user: User, how: str) -> None:
    """A revision of the template: the complete content, or a first partial pass
    with Level 3's feedback and the macro-badge's evidence still to write."""
    content = _demo_content(proposal, spec)
    if how == "partial":
        for badge in content["badges"]:
            if badge["level"] == "3":
                badge["feedback"] = ""
            if badge["level"] == "macro":
                badge["evidence"], badge["evidence_kinds"] = "", []
        content["credential"]["quality_assurance"] = ""
    _write(proposal, user, content, "")


def _comment(proposal: Proposal, user: User, text: str) -> None:
    level, field, body = text.split("|", 2)
    draft = proposal.drafts.order_by("-number").first()
    badges = draft.revision.content["badges"]
    badge = next((b["key"] for b in badges if b["level"] == level), "")
    ReviewComment.objects.create(
        draft=draft, field=field, badge=badge, body=body, author=user
    )


def _revise(proposal: Proposal, user: User) -> None:
    """Answer the open review comments in a new revision and resolve them."""
    content = template_services.latest(proposal).content
    for badge in content["badges"]:
        if badge["level"] == "3":
            badge["feedback"] = (
                "The boatyard's master builder reviews the learner's work at the "
                "mid-point and the end of the placement and returns written "
                "feedback against the Level 3 rubric."
            )
    content["credential"]["quality_assurance"] = (
        "The program coordinator at UMM verifies every piece of evidence against "
        "the UMS framework before a badge is issued."
    )
    _write(proposal, user, content, "Answered the review comments")
    for comment in ReviewComment.objects.filter(draft__proposal=proposal).open():
        template_services.reply(comment, user, "Written into the new revision.")
        template_services.resolve_comment(comment, user)


# How the committee votes in the demo's closed rounds, by outcome.
VOTES = {
    "approve": {
        "chair": "approve",
        "member1": "approve",
        "member2": "approve",
        "member3": "approve",
        "member4": "abstain",
    },
    "reject": {
        "chair": "abstain",
        "member1": "reject",
        "member2": "reject",
        "member3": "reject",
        "member4": "approve",
    },
    "return_for_revision": {
        "chair": "return",
        "member1": "return",
        "member2": "return",
        "member3": "approve",
    },
}


def _vote_and_close(proposal: Proposal, users, outcome: str, note: str) -> None:
    """The committee votes in the open round and the chair closes it."""
    round_ = proposal.rounds.open().get()
    services.add_round_comment(
        round_, users["member1"], "I have read the draft and the review history."
    )
    for username, choice in VOTES[outcome].items():
        services.cast_vote(round_, users[username], choice)
    services.close_round(round_, users["chair"], note)
    proposal.refresh_from_db()


def _create(spec: DemoProposal, users: dict[str, User], start) -> Proposal:
    proposer = users[spec.proposer]
    proposal = Proposal(
        proposer_name=proposer.get_full_name(),
        proposer_email=proposer.email,
        campus=Campus.objects.get(short_name=spec.campus),
        title=spec.title,
        credential_type=spec.credential_type,
        pathway_type=spec.pathway_type,
        description=spec.description,
        target_audience=spec.audience,
        intended_levels=spec.levels or list(Level.values),
        employer_partners=spec.partners,
        related_programs=spec.related,
        created_at=start,
    )
    services.submit_interest_form(proposal, user=proposer)
    for name, actor, note in spec.steps:
        user = users[actor]
        if name == "@draft":
            _draft(proposal, spec, user, note)
            continue
        if name == "@comment":
            _comment(proposal, user, note)
            continue
        if name == "@revise":
            _revise(proposal, user)
            continue
        if name == "@edit":
            _edit(proposal, user, note)
            continue
        if name == "@vote":
            choice, comment = note.split("|", 1)
            services.cast_vote(proposal.rounds.open().get(), user, choice, comment)
            continue
        if name in VOTES:
            _vote_and_close(proposal, users, name, note)
            continue
        if name == "start_development":
            _staff_team(proposal, spec, users)
        if name == "submit_draft":
            if not proposal.team.meetings.exists():
                _log_meetings(proposal, spec, users, start)
            if framework.findings_for(proposal):
                _write(proposal, user, _demo_content(proposal, spec), "")
            if not proposal.attachments.exists():
                _attach_files(proposal, user)
        services.perform(proposal, name, user=user, note=note)
    if proposal.state == State.TEAM_FORMING:
        _open_call(proposal, users)
    # Spread the history over the past weeks, as a real one would be.
    real, spread = [], []
    for index, entry in enumerate(proposal.transitions.order_by("pk")):
        when = start + timedelta(days=6 * index, hours=index)
        TransitionLog.objects.filter(pk=entry.pk).update(created_at=when)
        entry.notifications.update(created_at=when)
        real.append(entry.created_at)
        spread.append(when)
    if spread:
        Proposal.objects.filter(pk=proposal.pk).update(state_changed_at=spread[-1])
    _date_work(proposal, _spreader(real, spread))
    _date_records(proposal)
    return proposal


def _spreader(real: list, spread: list):
    """Moves a time of the load into the spread history: a record made between two
    steps lands between them in the same proportion, so revisions, comments and
    votes keep their order and stay between the steps around them."""

    def moved(when):
        after = bisect_right(real, when)
        if after == 0:
            return spread[0] - (real[0] - when)
        if after == len(real):
            return spread[-1] + (when - real[-1])
        share = (when - real[after - 1]) / (real[after] - real[after - 1])
        return spread[after - 1] + (spread[after] - spread[after - 1]) * share

    return moved


def _date_work(proposal: Proposal, moved) -> None:
    """Date the team's and the committee's work (revisions, review comments, votes
    and round discussion, memberships) by the history spread around it."""
    for model, fields, where in (
        (Revision, ["created_at"], {"proposal": proposal}),
        (
            ReviewComment,
            ["created_at", "resolved_at"],
            {"draft__proposal": proposal},
        ),
        (CommentEvent, ["created_at"], {"comment__draft__proposal": proposal}),
        (Vote, ["updated_at"], {"round__proposal": proposal}),
        (VoteChange, ["at"], {"round__proposal": proposal}),
        (RoundComment, ["at"], {"round__proposal": proposal}),
        (Membership, ["joined_at"], {"team__proposal": proposal}),
        (Attachment, ["uploaded_at"], {"proposal": proposal}),
    ):
        for row in model.objects.filter(**where):
            model.objects.filter(pk=row.pk).update(
                **{
                    name: moved(getattr(row, name))
                    for name in fields
                    if getattr(row, name) is not None
                }
            )


def _date_records(proposal: Proposal) -> None:
    """Date drafts, voting rounds and the approval by the steps that made them."""
    log = {}
    for entry in proposal.transitions.order_by("pk"):
        log.setdefault(entry.transition, []).append(entry.created_at)
    for draft, when in zip(
        proposal.drafts.order_by("number"), log.get("submit_draft", []), strict=False
    ):
        proposal.drafts.filter(pk=draft.pk).update(submitted_at=when)
    decisions = sorted(when for name in VOTES for when in log.get(name, []))
    for round_, opened in zip(
        proposal.rounds.order_by("opened_at", "pk"),
        log.get("forward_to_committee", []),
        strict=False,
    ):
        closed = next((when for when in decisions if when > opened), None)
        proposal.rounds.filter(pk=round_.pk).update(
            opened_at=opened, closed_at=closed if round_.closed_at else None
        )


# The demo's history tells nobody: its emails are dropped at once rather than queued
# for the worker of `make run` to print.
@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
)
def load_demo() -> tuple[int, int]:
    """Create what is missing of the demo; return (accounts, proposals created)."""
    with transaction.atomic():
        users = _accounts()
        created = 0
        # Demo histories happen in office hours.
        now = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
        for offset, spec in enumerate(PROPOSALS):
            if Proposal.objects.filter(title=spec.title).exists():
                continue
            start = now - timedelta(days=8 * len(spec.steps) + 2 + offset)
            _create(spec, users, start)
            created += 1
        for step in hooks.demo_steps:
            created += step(users)
    return len(users), created
