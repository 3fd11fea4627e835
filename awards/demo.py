"""What the demo adds on the awards side: a few learners holding a badge of one
published credential, one of them revoked."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from awards import services
from credentials.models import CatalogBadge

LEARNERS = [
    ("Maya Thibodeau", "maya.thibodeau@example.edu", 21),
    ("Jordan Nkemelu", "jordan.nkemelu@example.edu", 14),
    ("Lucia Pelletier", "lucia.pelletier@example.edu", 6),
]
REVOKED = "lucia.pelletier@example.edu"


def learner_awards(users: dict[str, User]) -> int:
    """load_demo's step: the first badge of the default issuer's first published
    credential, awarded to three learners by staff, once (their idempotency keys),
    the last revoked."""
    badge = (
        CatalogBadge.objects.listed()
        .filter(proposal__issuer__is_default=True)
        .order_by("proposal__title", "position", "pk")
        .first()
    )
    if badge is None:
        return 0
    today = timezone.localdate()
    for name, email, days_ago in LEARNERS:
        award = services.issue(
            badge,
            name=name,
            email=email,
            awarded_by=users["staff"],
            issued_on=today - timedelta(days=days_ago),
            evidence_narrative="Completed the course's capstone assessment.",
            idempotency_key=f"demo:{email}",
        )
        if email == REVOKED and not award.is_revoked:
            services.revoke(
                award, by=users["staff"], reason="Awarded before the final grade."
            )
    return 0
