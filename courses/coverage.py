"""The coverage check, beside the mapping form as the framework check is beside the
template editor: every criterion of every chosen badge needs an assignment that
assesses it, how it is judged and its passing threshold. Findings are anchored like
review comments (badge id, criterion key), so the page names and links each gap."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from credentials.openbadges import badge_and_credential

# "... exhibit four core sub-competencies: gather ...; identify patterns; and ..."
SUB_COMPETENCIES = re.compile(r"competencies\s*:\s*(.+)", re.IGNORECASE | re.DOTALL)
MAX_CRITERIA = 12


@dataclass(frozen=True)
class Criterion:
    key: str
    text: str


@dataclass(frozen=True)
class Finding:
    badge: str
    field: str
    message: str


def _lines(text: str) -> list[str]:
    return [line.strip(" -•*\t") for line in text.splitlines() if line.strip(" -•*")]


def _sub_competencies(description: str) -> list[str]:
    """The list a catalog description gives after "sub-competencies:", as the
    Education Design Lab's badges word it; empty when it gives none."""
    found = SUB_COMPETENCIES.search(description)
    if not found:
        return []
    items = re.split(r";|\.\s", found.group(1))
    items = [re.sub(r"^\s*and\s+", "", item).strip(" .;") for item in items]
    return [item for item in items if item] if len(items) > 1 else []


def criteria_of(badge) -> list[Criterion]:
    """What a catalog badge asks of a learner, one criterion per item: its
    competencies, else the lines of its criteria, else the sub-competencies its
    description lists, else the description as a whole."""
    definition, _credential = badge_and_credential(badge)
    items = (
        _lines(definition["competencies"])
        or _lines(definition["criteria"])
        or _sub_competencies(definition["description"] or badge.description)
        or [definition["description"] or badge.description or badge.name]
    )
    return [
        Criterion(key=f"c{n}", text=text[:2_000])
        for n, text in enumerate(items[:MAX_CRITERIA], start=1)
    ]


def check(badges: list, rows: dict) -> list[Finding]:
    """Findings for the mapping of `badges` given `rows`: {(badge id, criterion
    key): {"assignment", "method", "threshold"}}, saved or as typed."""
    if not badges:
        return [Finding("", "badges", _("Choose at least one badge to map."))]
    findings = []
    for badge in badges:
        for criterion in criteria_of(badge):
            row = rows.get((badge.pk, criterion.key), {})
            where = {
                "badge": badge.name,
                "criterion": criterion.text[:80],
            }
            anchor = (str(badge.pk), criterion.key)
            if not row.get("assignment", "").strip():
                findings.append(
                    Finding(
                        *anchor,
                        _("%(badge)s: no assignment assesses “%(criterion)s”.") % where,
                    )
                )
                continue
            if not row.get("method"):
                findings.append(
                    Finding(
                        *anchor,
                        _("%(badge)s: say how “%(criterion)s” is judged.") % where,
                    )
                )
            if not row.get("threshold", "").strip():
                findings.append(
                    Finding(
                        *anchor,
                        _("%(badge)s: give the passing threshold for “%(criterion)s”.")
                        % where,
                    )
                )
    return findings


def saved_rows(mapping) -> dict:
    return {
        (row.badge_id, row.criterion): {
            "assignment": row.assignment,
            "method": row.method,
            "threshold": row.threshold,
        }
        for row in mapping.assessments.all()
    }


def findings_for(mapping) -> list[Finding]:
    """The coverage check of a saved mapping."""
    badges = list(mapping.badges.select_related("revision"))
    return check(badges, saved_rows(mapping))
