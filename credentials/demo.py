"""What the demo adds on the publishing side: a partner college's catalog, and each
credential's approval dated as its demo history dates it."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.db.models import OuterRef, Subquery

from credentials.catalog_import import import_catalog
from credentials.models import CatalogBadge, Issuer
from proposals.models import TransitionLog
from teams.models import Campus

# A community college's published badge grid, imported as the catalog import would.
PARTNER_CATALOG = Path(__file__).resolve().parent / "data" / "cmcc_digital_badges.txt"
PARTNER = {
    "name": "Central Maine Community College",
    "url": "https://www.cmcc.edu/",
    "email": "workforce@cmcc.edu",
    "description": "Center for Workforce and Professional Development.",
}


def import_partner_catalog(users: dict[str, User]) -> int:
    """load_demo's step: the partner college's catalog, imported once."""
    issuer, _created = Issuer.objects.get_or_create(slug="cmcc", defaults=PARTNER)
    # A partner institution, not a campus proposers choose on the interest form.
    campus, _created = Campus.objects.get_or_create(
        short_name="CMCC",
        defaults={"name": PARTNER["name"], "is_active": False, "position": 99},
    )
    result = import_catalog(
        PARTNER_CATALOG.read_text(encoding="utf-8"),
        issuer=issuer,
        campus=campus,
        by=users["admin"],
        source=PARTNER_CATALOG.name,
    )
    return result.credentials


def date_approvals(users: dict[str, User]) -> int:
    """load_demo's step: the catalog dates each badge by its credential's (backdated)
    approval, as the workflow would have."""
    approved = TransitionLog.objects.filter(
        proposal=OuterRef("proposal"), transition="approve"
    ).order_by("-created_at", "-pk")
    CatalogBadge.objects.filter(proposal__transitions__transition="approve").update(
        approved_at=Subquery(approved.values("created_at")[:1])
    )
    return 0
