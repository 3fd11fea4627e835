"""The UMS Micro-Credential Development pathway as a published credential of the
catalog: seed 003's four badges, created once (by `load_development_pathway`, which a
deployment runs after `migrate`, and by load_demo) through the same records the
catalog import makes: a published proposal, its approved revision and draft, and the
catalog rows, so it has every export and public page any credential has."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from credentials.catalog import index_credential
from credentials.models import CatalogBadge, Issuer
from development.models import PathwayBadge
from metadata_templates.demo_content import UMS_MCD_CREDENTIAL, ums_mcd_content
from metadata_templates.models import Revision, SubmittedDraft
from proposals.models import CredentialType, PathwayType, Proposal, State, TransitionLog
from teams.models import Campus

TITLE = UMS_MCD_CREDENTIAL["title"]
LEAD_CAMPUS = "UMA"


def badges() -> dict[str, CatalogBadge]:
    """The pathway's catalog badges by level ("1", "2", "3", "macro"); empty before
    the pathway is loaded."""
    return {
        row.level: row.badge
        for row in PathwayBadge.objects.select_related("badge__proposal")
    }


@transaction.atomic
def ensure(by: User) -> Proposal | None:
    """Create the pathway unless it exists; return the proposal created, or None."""
    if PathwayBadge.objects.exists():
        return None
    content = ums_mcd_content()
    proposal = Proposal.objects.create(
        state=State.PUBLISHED,
        proposer=by,
        proposer_name="UMS Micro-Credential Initiative",
        proposer_email="ums.mc@maine.edu",
        campus=Campus.objects.get(short_name=LEAD_CAMPUS),
        title=TITLE,
        credential_type=CredentialType.PATHWAY,
        pathway_type=PathwayType.LIFELONG,
        description=content["credential"]["summary"],
        target_audience=content["credential"]["target_audience"],
        intended_levels=[badge["level"] for badge in content["badges"]],
        related_programs="Brightspace course: UMS Micro-Credential Development "
        "Levels 1–3",
        issuer=Issuer.default(),
    )
    revision = Revision.objects.create(
        proposal=proposal,
        number=1,
        content=content,
        author=by,
        note="Seed 003: the UMS Micro-Credential Development pathway",
    )
    SubmittedDraft.objects.create(
        proposal=proposal, number=1, revision=revision, submitted_by=by
    )
    TransitionLog.objects.create(
        proposal=proposal,
        transition=TransitionLog.IMPORTED,
        source="",
        target=State.PUBLISHED,
        actor=by,
        note="The UMS Micro-Credential Initiative's own development pathway, "
        "published before the tracker.",
    )
    for entry in index_credential(proposal):
        PathwayBadge.objects.create(level=entry.level, badge=entry)
    return proposal
