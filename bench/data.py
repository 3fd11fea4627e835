"""Bulk data for the benchmarks: published credentials for the catalog, and a whole
system of proposals, revisions, voting rounds and votes. Import after django.setup()."""

from __future__ import annotations

from django.db import transaction

from credentials.models import CatalogBadge, Issuer
from metadata_templates.models import Revision, SubmittedDraft
from metadata_templates.schema import blank_badge, normalise
from proposals.models import (
    MAIN_PATH,
    CredentialType,
    Level,
    PathwayType,
    Proposal,
    State,
)
from teams.models import Campus

CATEGORIES = [
    "21st Century Skills",
    "Precision Machining Technology",
    "Early Childhood Education",
    "Business",
    "Information Technology",
    "Health Care",
    "Building Construction Technology",
    "Hospitality",
]
WORDS = [
    "welding",
    "machining",
    "service",
    "leadership",
    "safety",
    "design",
    "data",
    "care",
    "retail",
]


def fill_published(count: int) -> None:
    """Add published credentials until there are `count` beyond the demo's; every
    tenth is a four-level pathway, the rest stand-alone badges."""
    issuer = Issuer.objects.get(is_default=True)
    campus = Campus.objects.filter(is_active=True).first()
    user = Proposal.objects.first().proposer
    have = Proposal.objects.filter(title__startswith="Bench ").count()
    levels_of = {True: list(Level.values), False: ["1"]}
    with transaction.atomic():
        for start in range(have, count, 500):
            batch = range(start, min(start + 500, count))
            proposals = Proposal.objects.bulk_create(
                Proposal(
                    state=State.PUBLISHED,
                    proposer=user,
                    proposer_name="Bench",
                    proposer_email="bench@example.edu",
                    campus=campus,
                    title=f"Bench {WORDS[i % len(WORDS)]} credential {i}",
                    credential_type=CredentialType.PATHWAY
                    if i % 10 == 0
                    else CredentialType.STANDALONE,
                    pathway_type=PathwayType.WORKFORCE,
                    description="Generated for the benchmark.",
                    target_audience="Adults",
                    intended_levels=levels_of[i % 10 == 0],
                    issuer=issuer,
                )
                for i in batch
            )
            contents = []
            for i, proposal in zip(batch, proposals, strict=True):
                badges = [
                    blank_badge(level, f"{proposal.title} {level}")
                    for level in levels_of[i % 10 == 0]
                ]
                for badge in badges:
                    badge.update(
                        description=f"Earners have shown {WORDS[i % 9]} skills.",
                        courses=f"BEN-{i % 900 + 100}: Course",
                    )
                content = {
                    "credential": {"category": CATEGORIES[i % len(CATEGORIES)]},
                    "badges": badges,
                }
                contents.append(normalise(content))
            revisions = Revision.objects.bulk_create(
                Revision(proposal=p, number=1, content=c)
                for p, c in zip(proposals, contents, strict=True)
            )
            SubmittedDraft.objects.bulk_create(
                SubmittedDraft(proposal=p, number=1, revision=r)
                for p, r in zip(proposals, revisions, strict=True)
            )
            CatalogBadge.objects.bulk_create(
                CatalogBadge(
                    proposal=p,
                    revision=r,
                    key=b["key"],
                    position=n,
                    name=b["name"],
                    level=b["level"],
                    category=c["credential"]["category"],
                    courses=b["courses"],
                    human_code=b["courses"].split(":")[0],
                    description=b["description"],
                )
                for p, r, c in zip(proposals, revisions, contents, strict=True)
                for n, b in enumerate(c["badges"])
            )


# The states a workflow proposal is left in, in turn.
SPREAD = [
    *MAIN_PATH[: MAIN_PATH.index(State.PUBLISHED)],
    State.DECLINED,
    State.WITHDRAWN,
]
WITH_DRAFT = {State.UNDER_REVIEW, State.COMMITTEE_REVIEW, State.APPROVED}
WITH_TEAM = {State.DRAFTING, *WITH_DRAFT}


def fill_system(
    proposals: int, revisions: int, votes: int, voters: list, leads: list
) -> dict:
    """Workflow proposals spread over the states, `revisions` revisions among them
    (the newest a full draft, older ones smaller, as drafts grow), teams with their
    proposer as lead, and closed or open voting rounds with one vote per voter until
    `votes` votes exist. Returns a few ids the load test visits."""
    from approvals.models import Vote, VotingRound
    from metadata_templates.demo_content import complete_content
    from teams.models import Membership, Role, Team

    campus = Campus.objects.filter(is_active=True).first()
    per_proposal = max(1, revisions // proposals)
    rounds_needed = -(-votes // len(voters))
    full = complete_content(
        "Bench Pathway",
        list(Level.values),
        pathway_type="workforce",
        audience="Adults",
        campus=campus.name,
    )
    rounds_made = 0
    with transaction.atomic():
        for start in range(0, proposals, 500):
            batch = range(start, min(start + 500, proposals))
            made = Proposal.objects.bulk_create(
                Proposal(
                    state=SPREAD[i % len(SPREAD)],
                    proposer=leads[i % len(leads)],
                    proposer_name="Bench Lead",
                    proposer_email="lead@example.edu",
                    campus=campus,
                    title=f"Load {WORDS[i % len(WORDS)]} proposal {i}",
                    credential_type=CredentialType.PATHWAY,
                    pathway_type=PathwayType.WORKFORCE,
                    description="Generated for the load test.",
                    target_audience="Adults",
                    intended_levels=list(Level.values),
                )
                for i in batch
            )
            history = Revision.objects.bulk_create(
                Revision(
                    proposal=p,
                    number=n,
                    content=full
                    if n == per_proposal
                    else {"credential": {"title": p.title}, "badges": []},
                )
                for p in made
                for n in range(1, per_proposal + 1)
            )
            newest = {r.proposal_id: r for r in history if r.number == per_proposal}
            teams = Team.objects.bulk_create(
                Team(proposal=p) for p in made if p.state in WITH_TEAM
            )
            Membership.objects.bulk_create(
                Membership(
                    team=t, user=t.proposal.proposer, role=Role.LEAD, campus=campus
                )
                for t in teams
            )
            drafted = [p for p in made if p.state in WITH_DRAFT]
            drafts = SubmittedDraft.objects.bulk_create(
                SubmittedDraft(proposal=p, number=1, revision=newest[p.pk])
                for p in drafted
            )
            want = max(0, min(len(drafts), rounds_needed - rounds_made))
            rounds = VotingRound.objects.bulk_create(
                VotingRound(
                    proposal=d.proposal,
                    draft=d,
                    closed_at=None
                    if d.proposal.state == State.COMMITTEE_REVIEW
                    else d.submitted_at,
                    outcome=""
                    if d.proposal.state == State.COMMITTEE_REVIEW
                    else "approve",
                )
                for d in drafts[:want]
            )
            rounds_made += len(rounds)
            Vote.objects.bulk_create(
                Vote(round=r, voter=v, choice="approve") for r in rounds for v in voters
            )
    drafting = Proposal.objects.filter(
        state=State.DRAFTING, title__startswith="Load "
    ).first()
    return {
        "proposal": Proposal.objects.filter(title__startswith="Load ").first().pk,
        "drafting": drafting.pk,
        "lead": drafting.proposer_id,
        "round": VotingRound.objects.filter(closed_at__isnull=True).first().pk,
    }
