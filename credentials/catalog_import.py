"""Import an existing badge catalog table (the pipe-separated grid a college publishes:
Category | Badge Name | Course(s) Required | Level | Badge Image | Description | Link)
as published credentials. The table is messy: rows with and without course codes,
repeated headers, "Learn More" link rows, and prerequisites written into the
description ("PREREQUISITE: WDB-022 Service Mastery").

Badges linked by prerequisites become one pathway credential; so does a category that
holds exactly one badge of each level 1, 2, 3 and Macro; every other badge is a
stand-alone credential."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from credentials.catalog import index_credential
from credentials.models import CatalogBadge, Issuer
from credentials.openbadges import human_code
from metadata_templates.models import Revision, SubmittedDraft
from metadata_templates.schema import blank_badge, normalise
from proposals.models import (
    CredentialType,
    PathwayType,
    Proposal,
    State,
    TransitionLog,
)

LEVEL_CELL = re.compile(r"^(?:level\s*(1|2|3|i{1,3})|macro(?:\s+level)?)$", re.I)
ROMAN = {"i": "1", "ii": "2", "iii": "3"}
PREREQUISITE = re.compile(r"\s*PREREQUISITE:\s*(.+?)\s*$", re.I)
PATHWAY = ("1", "2", "3", "macro")


class CatalogFormatError(ValueError):
    """The text holds no catalog rows."""


@dataclass
class Row:
    category: str
    name: str
    courses: str
    level: str
    description: str
    prerequisite: str = ""
    line: int = 0
    key: str = field(default="")

    @property
    def code(self) -> str:
        return human_code(self.courses)


def _level(cell: str) -> str | None:
    match = LEVEL_CELL.match(cell.strip())
    if not match:
        return None
    if match.group(1) is None:
        return "macro"
    value = match.group(1).lower()
    return ROMAN.get(value, value)


def parse(text: str) -> list[Row]:
    """The badge rows of the table, in order; headers, link rows and prose skipped."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = [cell.strip() for cell in line.split("|")]
        level_at = next(
            (i for i, cell in enumerate(cells) if i >= 2 and _level(cell)), None
        )
        if level_at is None or level_at > 3:
            continue
        category, name = cells[0], cells[1]
        courses = cells[2] if level_at == 3 else ""
        description = " ".join(c for c in cells[level_at + 1 :] if c).strip()
        if not (category and name and description):
            continue
        prerequisite = ""
        if match := PREREQUISITE.search(description):
            prerequisite = match.group(1)
            description = description[: match.start()].strip()
        rows.append(
            Row(
                category=category,
                name=name,
                courses=courses,
                level=_level(cells[level_at]),
                description=description,
                prerequisite=prerequisite,
                line=number,
            )
        )
    if not rows:
        raise CatalogFormatError("No badge rows found: is this a catalog table?")
    return rows


def _prerequisite_of(row: Row, rows: list[Row]) -> Row | None:
    """The row a "PREREQUISITE: <code> <name>" names: by course code, else by name."""
    if not row.prerequisite:
        return None
    code = human_code(row.prerequisite)
    for other in rows:
        if other is not row and code and other.code == code:
            return other
    text = row.prerequisite.lower()
    for other in rows:
        if other is not row and other.name.lower() in text:
            return other
    return None


def group(rows: list[Row]) -> list[list[Row]]:
    """Credentials: prerequisite chains, complete one-of-each-level categories, and
    every other badge alone. Each group is in level order."""
    parent = {id(row): row for row in rows}

    def root(row: Row) -> Row:
        while parent[id(row)] is not row:
            row = parent[id(row)]
        return row

    for row in rows:
        if (other := _prerequisite_of(row, rows)) is not None:
            parent[id(root(row))] = root(other)
    groups: dict[int, list[Row]] = {}
    for row in rows:
        groups.setdefault(id(root(row)), []).append(row)
    chained = [g for g in groups.values() if len(g) > 1]
    single = [g[0] for g in groups.values() if len(g) == 1]
    by_category: dict[str, list[Row]] = {}
    for row in single:
        by_category.setdefault(row.category, []).append(row)
    result = list(chained)
    for members in by_category.values():
        if sorted(r.level for r in members) == sorted(PATHWAY):
            result.append(members)
        else:
            result += [[row] for row in members]
    order = {level: i for i, level in enumerate(PATHWAY)}
    for members in result:
        members.sort(key=lambda r: order[r.level])
    result.sort(key=lambda g: (g[0].category, g[-1].name))
    return result


def _content(members: list[Row], campus_name: str) -> dict:
    top = members[-1]
    badges = []
    for row in members:
        badge = blank_badge(row.level, row.name)
        badge.update(description=row.description, courses=row.courses)
        row.key = badge["key"]
        badges.append(badge)
    for row, badge in zip(members, badges, strict=True):
        if (other := _prerequisite_of(row, members)) is not None:
            badge["prerequisites"] = [other.key]
    return normalise(
        {
            "credential": {
                "title": top.name,
                "summary": top.description,
                "category": top.category,
                "pathway_type": PathwayType.WORKFORCE,
                "lead_campus": campus_name,
                "keywords": top.category,
                "language": "English",
            },
            "badges": badges,
        }
    )


@dataclass
class ImportResult:
    credentials: int = 0
    badges: int = 0
    skipped: list[str] = field(default_factory=list)


def import_catalog(
    text: str, *, issuer: Issuer, campus, by, source: str = ""
) -> ImportResult:
    """Create a published credential per group of rows. Badges this issuer already
    publishes under the same name are left alone, so importing twice adds nothing."""
    result = ImportResult()
    existing = set(
        CatalogBadge.objects.filter(proposal__issuer=issuer).values_list(
            "name", flat=True
        )
    )
    for members in group(parse(text)):
        if any(row.name in existing for row in members):
            result.skipped += [row.name for row in members]
            continue
        with transaction.atomic():
            _create(members, issuer=issuer, campus=campus, by=by, source=source)
        result.credentials += 1
        result.badges += len(members)
    return result


def _create(members: list[Row], *, issuer, campus, by, source: str) -> Proposal:
    top = members[-1]
    pathway = len(members) > 1
    now = timezone.now()
    # Created directly in its final state: its development happened elsewhere, and
    # the transition log says so.
    proposal = Proposal.objects.create(
        state=State.PUBLISHED,
        proposer=by,
        proposer_name=issuer.name,
        proposer_email=issuer.email,
        campus=campus,
        title=top.name[:200],
        credential_type=CredentialType.PATHWAY
        if pathway
        else CredentialType.STANDALONE,
        pathway_type=PathwayType.WORKFORCE,
        description=top.description,
        target_audience="",
        intended_levels=[row.level for row in members],
        issuer=issuer,
    )
    record_published(
        proposal,
        _content(members, campus.name),
        by=by,
        revision_note="Imported from the catalog table",
        note=f"Imported from {source or 'a catalog table'}, lines "
        + ", ".join(str(row.line) for row in members),
        at=now,
    )
    return proposal


def record_published(
    proposal: Proposal, content: dict, *, by, revision_note: str, note: str, at=None
) -> list[CatalogBadge]:
    """What a credential created already published holds: its approved revision and
    draft, the log entry that says where it came from, and its catalog rows."""
    revision = Revision.objects.create(
        proposal=proposal, number=1, content=content, author=by, note=revision_note
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
        note=note,
        created_at=at or timezone.now(),
    )
    return index_credential(proposal)
