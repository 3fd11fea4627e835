import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from metadata_templates.merge import diff, merge
from metadata_templates.schema import blank_badge, normalise


def _content():
    level1 = blank_badge("1", "Level 1")
    level1["key"] = "b1"
    level1["alignments"] = [{"key": "a1", "framework": "ANSI", "code": "Y14.1"}]
    level2 = blank_badge("2", "Level 2")
    level2["key"] = "b2"
    level2["prerequisites"] = ["b1"]
    return normalise(
        {
            "credential": {"title": "Machining", "summary": "Old"},
            "badges": [level1, level2],
        }
    )


def _badge(content, key):
    return next(b for b in content["badges"] if b["key"] == key)


def test_changes_to_different_fields_merge_silently_and_are_reported():
    base = _content()
    theirs, mine = copy.deepcopy(base), copy.deepcopy(base)
    theirs["credential"]["summary"] = "Theirs"
    _badge(mine, "b2")["criteria"] = "Mine"
    result = merge(base, theirs, mine)
    assert result.conflicts == []
    assert result.content["credential"]["summary"] == "Theirs"
    assert _badge(result.content, "b2")["criteria"] == "Mine"
    assert result.taken == ["Summary"]


def test_the_same_field_changed_differently_is_a_conflict_keeping_both():
    base = _content()
    theirs, mine = copy.deepcopy(base), copy.deepcopy(base)
    _badge(theirs, "b1")["criteria"] = "Quiz at 80 %"
    _badge(mine, "b1")["criteria"] = "Quiz at 90 %"
    result = merge(base, theirs, mine)
    [conflict] = result.conflicts
    assert (conflict.theirs, conflict.mine) == ("Quiz at 80 %", "Quiz at 90 %")
    assert conflict.path == ("badges", "b1", "criteria")
    assert _badge(result.content, "b1")["criteria"] == "Quiz at 90 %"


def test_alignments_added_by_both_are_merged_by_item():
    base = _content()
    theirs, mine = copy.deepcopy(base), copy.deepcopy(base)
    _badge(theirs, "b1")["alignments"].append({"key": "a2", "framework": "NIMS"})
    _badge(mine, "b1")["alignments"].append({"key": "a3", "framework": "OSHA"})
    result = merge(base, theirs, mine)
    assert result.conflicts == []
    frameworks = [a["framework"] for a in _badge(result.content, "b1")["alignments"]]
    assert frameworks == ["ANSI", "NIMS", "OSHA"]


def test_a_badge_deleted_by_one_and_edited_by_the_other_is_a_conflict():
    base = _content()
    theirs, mine = copy.deepcopy(base), copy.deepcopy(base)
    theirs["badges"] = [b for b in theirs["badges"] if b["key"] != "b2"]
    _badge(mine, "b2")["criteria"] = "Edited"
    result = merge(base, theirs, mine)
    [conflict] = result.conflicts
    assert conflict.path == ("badges", "b2")
    assert _badge(result.content, "b2")["criteria"] == "Edited"


def test_prerequisites_merge_as_a_set():
    base = _content()
    theirs, mine = copy.deepcopy(base), copy.deepcopy(base)
    _badge(theirs, "b2")["prerequisites"] = []
    _badge(mine, "b2")["prerequisites"] = ["b1", "catalog:7:x"]
    result = merge(base, theirs, mine)
    assert _badge(result.content, "b2")["prerequisites"] == ["catalog:7:x"]


def test_diff_lists_changed_added_and_removed():
    old = _content()
    new = copy.deepcopy(old)
    new["credential"]["title"] = "Precision Machining"
    new["badges"] = [b for b in new["badges"] if b["key"] != "b2"]
    new["badges"].append(blank_badge("3", "Level 3"))
    changes = diff(old, new)
    kinds = {(c.label, c.kind) for c in changes}
    assert ("Title", "changed") in kinds
    assert ("Badge name", "removed") in kinds
    assert ("Badge name", "added") in kinds
    assert diff(old, copy.deepcopy(old)) == []


# Property-based: contents are a few credential fields and badges with a few fields
# and alignments; each side edits some of them.
words = st.sampled_from(["", "a", "b", "c", "quiz 80 %", "long text"])
FIELDS = ["title", "summary", "category"]
BADGE_FIELDS = ["criteria", "evidence", "name"]


@st.composite
def contents(draw):
    badges = []
    for key in draw(
        st.lists(st.sampled_from(["k1", "k2", "k3"]), unique=True, max_size=3)
    ):
        badge = blank_badge("1")
        badge["key"] = key
        for name in BADGE_FIELDS:
            badge[name] = draw(words)
        badge["alignments"] = [
            {"key": a, "framework": draw(words)}
            for a in draw(
                st.lists(st.sampled_from(["x", "y"]), unique=True, max_size=2)
            )
        ]
        badges.append(badge)
    credential = {name: draw(words) for name in FIELDS}
    return normalise({"credential": credential, "badges": badges})


@st.composite
def edit(draw, content):
    edited = copy.deepcopy(content)
    for name in FIELDS:
        if draw(st.booleans()):
            edited["credential"][name] = draw(words)
    for badge in edited["badges"]:
        for name in BADGE_FIELDS:
            if draw(st.booleans()):
                badge[name] = draw(words)
        if draw(st.booleans()):
            badge["alignments"].append({"key": f"new-{draw(words)}", "framework": "z"})
    if edited["badges"] and draw(st.booleans()):
        edited["badges"].pop(draw(st.integers(0, len(edited["badges"]) - 1)))
    return normalise(edited)


@st.composite
def three_way(draw):
    base = draw(contents())
    return base, draw(edit(base)), draw(edit(base))


@settings(max_examples=150, deadline=None)
@given(three_way())
def test_merging_with_no_change_on_one_side_gives_the_other(case):
    base, theirs, mine = case
    assert merge(base, base, mine).content == mine
    assert merge(base, theirs, base).content == theirs
    assert merge(base, mine, mine).content == mine
    assert merge(base, base, mine).conflicts == []


@settings(max_examples=200, deadline=None)
@given(three_way())
def test_conflicts_are_symmetric_and_nothing_typed_is_lost(case):
    base, theirs, mine = case
    forward, backward = merge(base, theirs, mine), merge(base, mine, theirs)
    assert {c.path for c in forward.conflicts} == {c.path for c in backward.conflicts}
    conflicted = {c.path for c in forward.conflicts}
    merged = forward.content
    for name in FIELDS:
        path = ("credential", name)
        b, t, m = (x["credential"][name] for x in (base, theirs, mine))
        if path in conflicted:
            conflict = next(c for c in forward.conflicts if c.path == path)
            assert (conflict.theirs, conflict.mine) == (t, m)
        elif m != b:
            assert merged["credential"][name] == m
        elif t != b:
            assert merged["credential"][name] == t
    for badge in mine["badges"]:
        if ("badges", badge["key"]) in conflicted:
            continue
        kept = next((x for x in merged["badges"] if x["key"] == badge["key"]), None)
        if kept is None:
            # Only a badge the other side deleted, and this side left as it was, goes.
            original = next(x for x in base["badges"] if x["key"] == badge["key"])
            assert original == badge
            continue
        for name in BADGE_FIELDS:
            path = ("badges", badge["key"], name)
            if path not in conflicted and badge[name] != _base_value(base, badge, name):
                assert kept[name] == badge[name]
        kept_alignments = {a["key"] for a in kept["alignments"]}
        for alignment in badge["alignments"]:
            if alignment["key"].startswith("new-"):
                assert alignment["key"] in kept_alignments


def _base_value(base, badge, name):
    original = next((x for x in base["badges"] if x["key"] == badge["key"]), None)
    return original[name] if original else None


@settings(max_examples=100, deadline=None)
@given(three_way())
def test_merging_is_deterministic_and_keeps_a_valid_shape(case):
    base, theirs, mine = case
    first, second = merge(base, theirs, mine), merge(base, theirs, mine)
    assert first.content == second.content
    assert normalise(first.content) == first.content
    keys = [b["key"] for b in first.content["badges"]]
    assert len(keys) == len(set(keys))


def test_a_prerequisite_on_a_badge_the_other_side_removed_is_a_conflict():
    base = _content()
    _badge(base, "b2")["prerequisites"] = []
    theirs, mine = copy.deepcopy(base), copy.deepcopy(base)
    theirs["badges"] = [b for b in theirs["badges"] if b["key"] != "b1"]
    _badge(mine, "b2")["prerequisites"] = ["b1"]
    result = merge(base, theirs, mine)
    [conflict] = result.conflicts
    assert (conflict.path, conflict.removed_by) == (("badges", "b1"), "theirs")
    assert _badge(result.content, "b1") == _badge(base, "b1")
    assert _badge(result.content, "b2")["prerequisites"] == ["b1"]
    # And the other way round: I removed it while they made it a prerequisite.
    result = merge(base, mine, theirs)
    [conflict] = result.conflicts
    assert (conflict.path, conflict.removed_by) == (("badges", "b1"), "mine")
    assert _badge(result.content, "b1") == _badge(base, "b1")
