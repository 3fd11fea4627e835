"""Awarding one badge to the people of an award form (AwardForm), for every page that
has one: staff on a badge's page, an instructor for their mapped course."""

from __future__ import annotations

from django.db import transaction

from awards import emails, services
from awards.models import Award


def issue_form(badge, data: dict, *, by, source: str) -> list[Award]:
    """Everyone on the form (its cleaned data), or no one: one failed row issues
    nothing. The form's batch names the submission, so sending it again awards no
    one twice. Claim emails go out once the awards are saved."""
    rows = {
        f"form:{data['batch']}:{email.lower()}": (name, email)
        for name, email in data["recipients"]
    }
    with transaction.atomic():
        # Those a first submission of this form already awarded are not emailed again.
        sent = set(
            badge.awards.filter(idempotency_key__in=rows).values_list(
                "idempotency_key", flat=True
            )
        )
        awards = [
            services.issue(
                badge,
                name=name,
                email=email,
                awarded_by=by,
                issued_on=data["issued_on"],
                evidence_url=data["evidence_url"],
                evidence_narrative=data["evidence_narrative"],
                source=source,
                idempotency_key=key,
            )
            for key, (name, email) in rows.items()
        ]
        fresh = [award for award in awards if award.idempotency_key not in sent]
        transaction.on_commit(lambda: [emails.send_claim(a) for a in fresh])
    return awards
