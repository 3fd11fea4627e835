"""The UMS Micro-Credential Development pathway as a published credential of the
catalog: seed 003's four badges, created once (by `load_development_pathway`, which a
deployment runs after `migrate`, and by load_demo) with the records the catalog
import makes (a published proposal, its approved revision and draft, the catalog
rows), so it has every export and public page any credential has."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from credentials.catalog_import import record_published
from credentials.models import CatalogBadge, Issuer
from development.models import PathwayBadge
from metadata_templates.demo_content import UMS_MCD_CREDENTIAL, ums_mcd_content
from proposals.models import CredentialType, PathwayType, Proposal, State
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
    entries = record_published(
        proposal,
        content,
        by=by,
        revision_note="Seed 003: the UMS Micro-Credential Development pathway",
        note="The UMS Micro-Credential Initiative's own development pathway, "
        "published before the tracker.",
    )
    for entry in entries:
        PathwayBadge.objects.create(level=entry.level, badge=entry)
    return proposal
