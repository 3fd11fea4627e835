"""What the public credential page and the public summary show: the approved
draft's public fields (proposals.policy.public_content) as labelled rows, empty ones
left out, beside each badge's catalog row (its name, level, courses and
prerequisites as the catalog links them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from credentials import catalog, catalog_hooks
from credentials.models import CatalogBadge
from metadata_templates.models import Revision
from metadata_templates.notes import content_sections
from metadata_templates.schema import normalise
from proposals import policy
from proposals.models import Proposal

# Fields a badge's block lays out in places of their own, not as rows.
OWN_PLACE = {"name", "level", "description", "alignments", "prerequisites"}
CREDENTIAL_OWN_PLACE = {"title", "summary", "category"}
# Where the template's label speaks to the team, the public reads the learner's word.
PUBLIC_LABELS = {
    "participation": _("Delivery mode"),
    "courses": _("Course(s) required"),
    "evidence_kinds": _("Evidence you submit"),
}


@dataclass(frozen=True)
class PublicBadge:
    entry: CatalogBadge
    definition: dict
    rows: list[dict]

    @property
    def alignments(self) -> list[dict]:
        return self.definition.get("alignments", [])


def _rows(section: dict, fields: frozenset[str], own_place: set[str]) -> list[dict]:
    return [
        {**row, "label": PUBLIC_LABELS.get(row["key"], row["label"])}
        for row in section["rows"]
        if row["key"] in fields and row["key"] not in own_place and row["value"]
    ]


def credential_view(proposal: Proposal) -> dict:
    """The credential's public content, in a fixed number of queries."""
    entries = catalog_hooks.attach(
        catalog.for_cards(proposal.catalog_badges.order_by("position"))
    )
    # Every catalog row comes from the same approved revision: read it once.
    approved = (
        Revision.objects.only("content").get(pk=entries[0].revision_id)
        if entries
        else None
    )
    content = policy.public_content(normalise(approved.content if approved else {}))
    credential, *badge_sections = content_sections(content)
    sections = {
        badge["key"]: (badge, section)
        for badge, section in zip(content["badges"], badge_sections, strict=True)
    }
    badges = [
        PublicBadge(
            entry=entry,
            definition=sections[entry.key][0],
            rows=_rows(sections[entry.key][1], policy.PUBLIC_BADGE_FIELDS, OWN_PLACE),
        )
        for entry in entries
        if entry.key in sections
    ]
    return {
        "proposal": proposal,
        "credential": content["credential"],
        "credential_rows": _rows(
            credential, policy.PUBLIC_CREDENTIAL_FIELDS, CREDENTIAL_OWN_PLACE
        ),
        "badges": badges,
        # The pathway drawn top-down: the macro-badge that the levels stack into.
        "stack": sorted(badges, key=lambda b: b.entry.position, reverse=True),
    }
