"""What the template pages show beside each field: framework findings and review
comments, anchored by (badge key, field); and the content laid out for reading."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from metadata_templates.models import CommentEvent, ReviewComment, Revision
from metadata_templates.schema import (
    ALIGNMENT_FIELDS,
    BADGE_FIELDS,
    BADGE_LABELS,
    CHOICE,
    CREDENTIAL_FIELDS,
    CREDENTIAL_LABELS,
    MULTI,
    badge_label,
    normalise,
)
from proposals import hooks


def conflict_anchor(path: tuple) -> tuple[str, str]:
    """Where a merge conflict shows: ("", field), (badge, field) or (badge, "")."""
    if path[0] == "credential":
        return "", path[1]
    if len(path) == 2:
        return path[1], ""
    return path[1], path[2]


def anchored_notes(findings, comments, conflicts=()) -> dict:
    """{(badge key or "", field): {"findings": [...], "comments": [...],
    "conflicts": [...]}}"""
    notes = defaultdict(lambda: {"findings": [], "comments": [], "conflicts": []})
    for finding in findings:
        notes[(finding.badge, finding.field)]["findings"].append(finding)
    for comment in comments:
        notes[(comment.badge, comment.field)]["comments"].append(comment)
    for conflict in conflicts:
        notes[conflict_anchor(conflict.path)]["conflicts"].append(conflict)
    return dict(notes)


def open_comments_of(proposal, newest: dict | None = None) -> list:
    """The proposal's open review comments with their threads, each with `where`
    (the field, as the newest revision names it: `newest`, the content of that
    revision when the caller has it) and `section` (of the editor), for the
    confirmations that list them."""
    if newest is None:
        revision = Revision.objects.filter(proposal=proposal).order_by("-number")
        newest = getattr(revision.first(), "content", None)
    content = normalise(newest)
    comments = list(
        ReviewComment.objects.filter(draft__proposal=proposal)
        .open()
        .with_thread()
        .order_by("draft__number", "created_at", "pk")
    )
    label_comments(comments, content)
    for comment in comments:
        events = comment.events.all()
        comment.replied = any(e.kind == CommentEvent.Kind.REPLY for e in events)
    return comments


def label_comments(comments, content: dict) -> None:
    """Give each comment `where` (its field, as `content`, normalised, names it) and
    `section` (of the editor)."""
    badges = {b["key"]: badge_label(b) for b in content["badges"]}
    for comment in comments:
        label = BADGE_LABELS.get(comment.field)
        if not comment.badge:
            comment.where = CREDENTIAL_LABELS.get(comment.field, _("The badges"))
            comment.section = "credential"
        elif comment.badge in badges:
            name = badges[comment.badge]
            comment.where = f"{name} · {label}" if label else name
            comment.section = f"badge-{comment.badge}"
        else:
            comment.where = _("A badge removed since")
            comment.section = "credential"


def catalog_choices(proposal, content: dict) -> list[tuple[str, str]]:
    """Published badges that a badge of this draft may name as prerequisites, as the
    publishing side offers them."""
    return [
        choice
        for offer in hooks.prerequisite_choices
        for choice in offer(proposal, content)
    ]


def _display(value, definition) -> str:
    if definition.kind == MULTI:
        labels = dict(definition.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if definition.kind == CHOICE:
        return str(dict(definition.choices).get(value, value or ""))
    return value or ""


def content_sections(content: dict, notes: dict | None = None) -> list[dict]:
    """The content as sections of (label, value, notes) rows, for reading."""
    content = normalise(content)
    notes = notes or {}
    labels = {b["key"]: badge_label(b) for b in content["badges"]}
    empty = {"findings": [], "comments": []}
    sections = [
        {
            "title": _("The micro-credential"),
            "badge": "",
            "notes": notes.get(("", "badges"), empty),
            "rows": [
                {
                    "key": d.key,
                    "label": d.label,
                    "value": _display(content["credential"].get(d.key), d),
                    "notes": notes.get(("", d.key), empty),
                }
                for d in CREDENTIAL_FIELDS
            ],
        }
    ]
    for badge in content["badges"]:
        rows = [
            {
                "key": d.key,
                "label": d.label,
                "value": _display(badge.get(d.key), d),
                "notes": notes.get((badge["key"], d.key), empty),
            }
            for d in BADGE_FIELDS
        ]
        rows.append(
            {
                "key": "alignments",
                "label": _("Alignments"),
                "value": "\n".join(
                    " · ".join(
                        a.get(d.key, "") for d in ALIGNMENT_FIELDS if a.get(d.key)
                    )
                    for a in badge["alignments"]
                ),
                "notes": notes.get((badge["key"], "alignments"), empty),
            }
        )
        rows.append(
            {
                "key": "prerequisites",
                "label": _("Prerequisites"),
                "value": "\n".join(
                    labels.get(p, _("a published badge"))
                    for p in badge["prerequisites"]
                ),
                "notes": notes.get((badge["key"], "prerequisites"), empty),
            }
        )
        sections.append(
            {
                "title": badge_label(badge),
                "badge": badge["key"],
                "notes": notes.get((badge["key"], ""), empty),
                "rows": rows,
            }
        )
    return sections
