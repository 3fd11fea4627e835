"""The three-way rule every merge of the project uses: a value `mine` (edited from
`base`) meets `theirs` (saved since). Changed on one side only, that side wins; changed
on both to different values, it is a conflict, which keeps mine and shows theirs.
The draft merge (metadata_templates.merge) applies it field by field and item by item;
flat forms (meanwhile.py) apply `merge_fields`."""

from __future__ import annotations

SAME, MINE, THEIRS, BOTH = "same", "mine", "theirs", "both"


def pick(base, theirs, mine) -> str:
    """Which side the merged value comes from: SAME, MINE, THEIRS, or BOTH (a
    conflict: both changed it differently)."""
    if mine == theirs:
        return SAME
    if mine == base:
        return THEIRS
    if theirs == base:
        return MINE
    return BOTH


def merge_fields(base: dict, theirs: dict, mine: dict) -> tuple[list[str], list[str]]:
    """Flat dicts merged key by key (a key a side lacks counts as None): the keys
    whose merged value is theirs, and the keys in conflict (mine kept there, as
    everywhere else)."""
    taken, conflicts = [], []
    for key in {**base, **theirs, **mine}:
        side = pick(base.get(key), theirs.get(key), mine.get(key))
        if side == THEIRS:
            taken.append(key)
        elif side == BOTH:
            conflicts.append(key)
    return taken, conflicts
