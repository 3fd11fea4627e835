"""The UMS framework check: what the framework requires and a draft lacks, per field and
per badge (seed 001's levels, seed 003's evidence and assessment, DESIGN.md's rules).
An empty result means the draft may be submitted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from metadata_templates.schema import TRAINING, WORK_BASED, badge_label, normalise
from proposals.models import CredentialType

if TYPE_CHECKING:
    from proposals.models import Proposal

PATHWAY_LEVELS = ("1", "2", "3", "macro")


@dataclass(frozen=True)
class Finding:
    """One gap: where it is (the credential, or a badge by key), the field, and what
    the framework asks for."""

    field: str
    message: str
    badge: str = ""
    # Where, in words: "The micro-credential" or the badge's name and level.
    where: str = ""


def _blank(value) -> bool:
    return not (value.strip() if isinstance(value, str) else value)


def _credential(credential: dict) -> list[Finding]:
    required = {
        "title": _("Give the micro-credential a title."),
        "summary": _("Summarise what the micro-credential recognises."),
        "pathway_type": _("Choose workforce development or lifelong learning."),
        "target_audience": _("Say who the learners are."),
        "quality_assurance": _(
            "Say who vets the evidence against which standard (quality assurance)."
        ),
        "language": _("Give the language of instruction."),
    }
    return [
        Finding(key, msg, "", str(_("The micro-credential")))
        for key, msg in required.items()
        if _blank(credential[key])
    ]


def _overall(message: str) -> Finding:
    """A gap in the set of badges rather than in one of them."""
    return Finding("badges", message, "", str(_("The badges")))


def _badge(badge: dict) -> list[Finding]:
    key, level = badge["key"], badge["level"]
    where = badge_label(badge)
    found = []

    def need(field: str, message: str) -> None:
        found.append(Finding(field, message, key, where))

    if _blank(badge["name"]):
        need("name", _("Name the badge."))
    if level not in PATHWAY_LEVELS:
        need("level", _("Choose the badge's level."))
    if _blank(badge["description"]):
        need("description", _("Describe what an earner has demonstrated."))
    if _blank(badge["criteria"]):
        need("criteria", _("Every badge needs criteria the learner must meet."))
    if _blank(badge["evidence"]) and not badge["evidence_kinds"]:
        need("evidence", _("Every badge needs the evidence the learner submits."))
    for alignment in badge["alignments"]:
        # Open Badges needs both to publish an alignment.
        if _blank(alignment.get("name")) or not str(
            alignment.get("url", "")
        ).startswith(("https://", "http://")):
            need(
                "alignments",
                _("Give every alignment a name and a web address (https://…)."),
            )
            break
    if level == "macro":
        return found
    if _blank(badge["competencies"]):
        need("competencies", _("List the competencies or learning outcomes."))
    if _blank(badge["assessment"]):
        need("assessment", _("Every level is assessed: choose the assessment method."))
    elif badge["assessment"] == "quiz" and _blank(badge["passing_threshold"]):
        need("passing_threshold", _("Give the passing score of the quiz, e.g. 80 %."))
    if _blank(badge["hours"]):
        need("hours", _("Estimate the learner's workload in hours."))
    elif not str(badge["hours"]).replace(".", "", 1).isdecimal():
        need("hours", _("Give the hours as a number."))
    if _blank(badge["participation"]):
        need("participation", _("Say whether it is online, in person or blended."))
    activities = set(badge["activities"])
    if level == "2" and not activities & TRAINING:
        need(
            "activities",
            _(
                "Level 2 is training and practice: include a workshop, course, "
                "bootcamp, webinar or team project."
            ),
        )
    if level == "3":
        if not activities & WORK_BASED:
            need(
                "activities",
                _(
                    "Level 3 is applied learning: include an internship, "
                    "apprenticeship, work-based or experiential activity."
                ),
            )
        if _blank(badge["feedback"]):
            need(
                "feedback",
                _("Level 3 learners receive performance feedback: say how."),
            )
    return found


def _names_a_badge(reference: str, keys: set[str]) -> bool:
    """A badge of this draft, or a published one ("catalog:<proposal>:<key>")."""
    if reference.startswith("catalog:"):
        proposal, _sep, key = reference.removeprefix("catalog:").partition(":")
        return proposal.isdecimal() and bool(key)
    return reference in keys


def _prerequisite_cycle(badges: list[dict]) -> list[str]:
    """Keys of badges that are their own prerequisite, directly or through others."""
    graph = {
        b["key"]: [p for p in b["prerequisites"] if not p.startswith("catalog:")]
        for b in badges
    }
    cyclic = set()
    for start in graph:
        stack, seen = list(graph[start]), set()
        while stack:
            node = stack.pop()
            if node == start:
                cyclic.add(start)
                break
            if node in seen or node not in graph:
                continue
            seen.add(node)
            stack.extend(graph[node])
    return [b["key"] for b in badges if b["key"] in cyclic]


def check(content: dict, *, pathway: bool) -> list[Finding]:
    """Everything the draft lacks before it can be submitted for review."""
    content = normalise(content)
    badges = content["badges"]
    found = _credential(content["credential"])
    if not badges:
        found.append(_overall(_("Add at least one badge.")))
    levels = [b["level"] for b in badges]
    if pathway:
        for level in PATHWAY_LEVELS:
            if level not in levels:
                found.append(
                    _overall(
                        _(
                            "A UMS pathway has Levels 1, 2, 3 and a macro-badge; add "
                            "the missing %(level)s badge."
                        )
                        % {
                            "level": _("macro")
                            if level == "macro"
                            else f"Level {level}"
                        },
                    )
                )
    elif "macro" in levels:
        found.append(
            _overall(_("A macro-badge belongs to a UMS pathway of three levels."))
        )
    for level in set(levels):
        if levels.count(level) > 1 and pathway:
            found.append(_overall(_("A pathway has one badge per level.")))
    for badge in badges:
        found += _badge(badge)
    keys = {b["key"] for b in badges}
    for badge in badges:
        if any(not _names_a_badge(p, keys) for p in badge["prerequisites"]):
            found.append(
                Finding(
                    "prerequisites",
                    _(
                        "%(badge)s names a prerequisite that is no badge of this "
                        "draft; choose its prerequisites again and save."
                    )
                    % {"badge": badge_label(badge)},
                    badge["key"],
                    badge_label(badge),
                )
            )
    for key in _prerequisite_cycle(badges):
        badge = next(b for b in badges if b["key"] == key)
        found.append(
            Finding(
                "prerequisites",
                _("%(badge)s is its own prerequisite through a cycle; remove one link.")
                % {"badge": badge_label(badge)},
                key,
                badge_label(badge),
            )
        )
    return found


# Where a page that has checked the newest revision keeps its findings on the
# proposal object, so that the submission checks it then asks for do not check again.
NEWEST_FINDINGS = "_newest_revision_findings"


def remember_newest_findings(proposal: Proposal, findings: list[Finding]) -> None:
    """Keep the findings of the proposal's newest revision for the rest of this
    request (the object lives no longer than that)."""
    setattr(proposal, NEWEST_FINDINGS, findings)


def findings_for(proposal: Proposal, content: dict | None = None) -> list[Finding]:
    """What the UMS framework requires and `content` (by default the proposal's newest
    revision) lacks."""
    if content is None and hasattr(proposal, NEWEST_FINDINGS):
        return getattr(proposal, NEWEST_FINDINGS)
    if content is None:
        revision = proposal.revisions.order_by("-number").only("content").first()
        if revision is None:
            return []
        content = revision.content
    return check(content, pathway=proposal.credential_type == CredentialType.PATHWAY)


def submission_problems(proposal: Proposal) -> list[str]:
    """What keeps the draft from being submitted (a check in proposals/hooks.py)."""
    if not hasattr(proposal, NEWEST_FINDINGS) and not proposal.revisions.exists():
        return [str(_("Write the meta-data template before submitting."))]
    if findings := findings_for(proposal):
        return [summary(findings)]
    return []


def summary(findings: list[Finding]) -> str:
    return _("The framework check finds %(n)d gap(s) in the draft; see the editor.") % {
        "n": len(findings)
    }
