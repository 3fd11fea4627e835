"""Three-way merge of draft contents, and the field-by-field comparison of two drafts.

A save made from an older revision is merged against what changed since: the base the
editor loaded, `theirs` (the current revision) and `mine` (the submitted form). A field
changed on one side only takes that side; a field changed on both sides to different
values is a conflict. Badges and alignments are merged item by item (by key), and
prerequisites as a set, so two people adding different alignments never conflict."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from metadata_templates.schema import (
    BADGE_LABELS,
    CREDENTIAL_FIELDS,
    CREDENTIAL_LABELS,
    badge_label,
    normalise,
)
from proposals import threeway

MISSING = None
# Which side removed a badge the other side changed or named as a prerequisite.
REMOVED_BY_THEM, REMOVED_BY_ME = "theirs", "mine"


@dataclass
class Conflict:
    """A place both people changed differently; `mine` is kept in the merged result
    and `theirs` is shown beside it, so that neither is lost. A badge removed on one
    side (MISSING there) is kept, and the person resolving decides its fate."""

    path: tuple
    label: str
    base: object
    theirs: object
    mine: object

    @property
    def removed_by(self) -> str:
        """REMOVED_BY_THEM or REMOVED_BY_ME for a whole badge, else ""."""
        if self.path[0] != "badges" or len(self.path) != 2:
            return ""
        return REMOVED_BY_THEM if self.theirs is MISSING else REMOVED_BY_ME

    @property
    def theirs_shown(self) -> str:
        """Their side in words, as the conflict note shows it."""
        if self.theirs is MISSING:
            return _("(removed)")
        if isinstance(self.theirs, dict):
            if self.removed_by:
                return _("(kept; their version is in the fields below)")
            return _alignment_text(self.theirs)
        return _show(self.theirs) or _("(empty)")


@dataclass
class MergeResult:
    content: dict
    conflicts: list[Conflict] = field(default_factory=list)
    # Human labels of the places where the other person's changes were taken in.
    taken: list[str] = field(default_factory=list)


def _scalar(path, label, base, theirs, mine, result: MergeResult):
    side = threeway.pick(base, theirs, mine)
    if side == threeway.THEIRS:
        result.taken.append(label)
        return theirs
    if side == threeway.BOTH:
        result.conflicts.append(Conflict(path, label, base, theirs, mine))
    return mine


def _set_merge(base: list, theirs: list, mine: list) -> list:
    """Items either side added are kept; items either side removed are dropped."""
    removed = {item for item in base if item not in theirs or item not in mine}
    return [item for item in dict.fromkeys([*theirs, *mine]) if item not in removed]


def _keyed(path, label_of, base, theirs, mine, merge_item, result: MergeResult) -> list:
    """Merge lists of dicts that carry a "key", item by item, keeping the order in
    which items appear (theirs first, then what only mine has)."""
    by_base = {item["key"]: item for item in base}
    by_theirs = {item["key"]: item for item in theirs}
    by_mine = {item["key"]: item for item in mine}
    merged = []
    for key in dict.fromkeys([*by_theirs, *by_mine, *by_base]):
        b, t, m = by_base.get(key), by_theirs.get(key), by_mine.get(key)
        item_path = (*path, key)
        if b is None:
            # Added by one side (or, improbably, the same key by both).
            if t is not None and m is not None:
                merged.append(merge_item(item_path, {}, t, m))
            else:
                if t is not None:
                    result.taken.append(label_of(t))
                merged.append(t if t is not None else m)
        elif t is None and m is None:
            continue
        elif t is None or m is None:
            kept = m if t is None else t
            if kept == b:
                if m is None:
                    continue
                result.taken.append(label_of(b))
                continue
            # Deleted on one side, changed on the other: keep it and ask.
            result.conflicts.append(
                Conflict(item_path, label_of(kept), b, t or MISSING, m or MISSING)
            )
            merged.append(kept)
        else:
            merged.append(merge_item(item_path, b, t, m))
    return merged


def _alignment_label(badge: dict):
    def label(alignment: dict) -> str:
        code = alignment.get("code") or alignment.get("framework") or ""
        return f"{badge_label(badge)} → {BADGE_LABELS['alignments']}: {code}"

    return label


def _merge_badge(
    path, base: dict, theirs: dict, mine: dict, result: MergeResult
) -> dict:
    merged = {"key": mine.get("key") or theirs.get("key")}
    for key in dict.fromkeys([*theirs, *mine]):
        if key == "key":
            continue
        b = base.get(key)
        t, m = theirs.get(key, b), mine.get(key, b)
        label = f"{badge_label(mine or theirs)} → {BADGE_LABELS.get(key, key)}"
        if key == "alignments":
            label_of = _alignment_label(mine or theirs)
            merged[key] = _keyed(
                (*path, key),
                label_of,
                b or [],
                t or [],
                m or [],
                lambda p, bi, ti, mi, label_of=label_of: _scalar(
                    p, label_of(mi), bi, ti, mi, result
                ),
                result,
            )
        elif key == "prerequisites":
            merged[key] = _set_merge(b or [], t or [], m or [])
            if set(merged[key]) != set(m or []):
                # Only their ticks and unticks make it differ from the page: say
                # so, or the editor believes the boxes they saw were saved.
                result.taken.append(label)
        else:
            merged[key] = _scalar((*path, key), label, b, t, m, result)
    return merged


def _keep_named_badges(base, theirs, mine, merged: list, result: MergeResult) -> None:
    """One side removed a badge that the other named as a prerequisite: the badge
    stays (as the side that kept it has it), and the person resolving decides."""
    present = {b["key"] for b in merged}
    named = {
        p for b in merged for p in b["prerequisites"] if not p.startswith("catalog:")
    }
    sides = [{b["key"]: b for b in side} for side in (base, theirs, mine)]
    for key in sorted(named - present):
        b, t, m = (side.get(key) for side in sides)
        kept = t or m
        if kept is None:
            continue
        merged.append(kept)
        result.conflicts.append(Conflict(("badges", key), badge_label(kept), b, t, m))


def merge(base: dict, theirs: dict, mine: dict) -> MergeResult:
    """Merge `mine` (made from `base`) with `theirs` (saved since)."""
    base, theirs, mine = normalise(base), normalise(theirs), normalise(mine)
    result = MergeResult(content={})
    credential = {}
    for key in dict.fromkeys([*theirs["credential"], *mine["credential"]]):
        b = base["credential"].get(key)
        credential[key] = _scalar(
            ("credential", key),
            str(CREDENTIAL_LABELS.get(key, key)),
            b,
            theirs["credential"].get(key, b),
            mine["credential"].get(key, b),
            result,
        )
    badges = _keyed(
        ("badges",),
        badge_label,
        base["badges"],
        theirs["badges"],
        mine["badges"],
        lambda p, b, t, m: _merge_badge(p, b, t, m, result),
        result,
    )
    _keep_named_badges(base["badges"], theirs["badges"], mine["badges"], badges, result)
    result.content = normalise({"credential": credential, "badges": badges})
    return result


@dataclass
class Change:
    section: str
    label: str
    old: object
    new: object
    kind: str  # "changed", "added" or "removed"


def _show(value) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def diff(old: dict, new: dict) -> list[Change]:
    """Every field that differs between two contents, badge by badge."""
    old, new = normalise(old), normalise(new)
    changes = []
    for definition in CREDENTIAL_FIELDS:
        a, b = old["credential"][definition.key], new["credential"][definition.key]
        if a != b:
            changes.append(
                Change(
                    str(_("The micro-credential")),
                    str(definition.label),
                    _show(a),
                    _show(b),
                    "changed",
                )
            )
    old_badges = {b["key"]: b for b in old["badges"]}
    new_badges = {b["key"]: b for b in new["badges"]}
    for key in dict.fromkeys([*new_badges, *old_badges]):
        a, b = old_badges.get(key), new_badges.get(key)
        section = badge_label(b or a)
        if a is None or b is None:
            changes.append(
                Change(
                    section,
                    str(BADGE_LABELS["name"]),
                    _show(a and a["name"]),
                    _show(b and b["name"]),
                    "added" if a is None else "removed",
                )
            )
            continue
        for field_key, label in BADGE_LABELS.items():
            if field_key == "alignments":
                before = [_alignment_text(x) for x in a["alignments"]]
                after = [_alignment_text(x) for x in b["alignments"]]
            else:
                before, after = a.get(field_key), b.get(field_key)
            if before != after:
                changes.append(
                    Change(section, str(label), _show(before), _show(after), "changed")
                )
    return changes


def _alignment_text(alignment: dict) -> str:
    parts = [alignment.get(k, "") for k in ("framework", "code", "name", "url")]
    return " · ".join(p for p in parts if p)
