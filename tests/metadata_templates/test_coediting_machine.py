"""Three editors co-edit one draft through the editor's real views, in random order and
from stale pages (a hypothesis state machine). After every step:

* a save that lands makes exactly the newest revision plus what that editor typed
  (nothing typed is dropped, nothing else changes), and it never overwrites a change
  saved since the editor's page was loaded: that must come back as a conflict;
* a conflict page shows everything the editor typed (a badge they removed, or one
  removed meanwhile, waits for their explicit keep-or-remove choice);
* no revision holds a badge nobody wrote (every badge was started by someone and
  has a level).

Each editor's page records what they typed as operations relative to the revision
the page is based on; the model of the draft applies them when a save lands. A page
is the whole form (every section, as a conflict page is) or one section of it, whose
save must leave every other section as it is."""

import copy
import itertools
import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from approvals import services as workflow
from metadata_templates import forms, schema, services
from metadata_templates.schema import LEVELS, MAX_BADGES, normalise
from proposals.models import State
from teams.models import Membership, Role
from tests.factories import (
    ProposalFactory,
    UserFactory,
    campus,
    confirmed_team,
    log_meetings,
)
from tests.metadata_templates.posted import posted

EDITORS = (0, 1, 2)
# Few fields, so that editors often meet in the same one.
CREDENTIAL_TEXT = ("summary", "category")
BADGE_TEXT = ("criteria", "name")
ALIGNMENT = ("framework", "code", "name", "url")


class Keys:
    """Badge and alignment keys numbered afresh in each example: random keys change
    the order in which merges and pages list items, so a derandomized run would not
    repeat itself."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.numbers = itertools.count()

    def __call__(self) -> str:
        return f"{next(self.numbers):012x}"


KEYS = Keys()


def _badges(content: dict) -> dict:
    return {b["key"]: b for b in content["badges"]}


def _canonical(content: dict) -> dict:
    """Content compared as sets where order carries no meaning."""
    content = normalise(content)
    badges = {}
    for badge in content["badges"]:
        badges[badge["key"]] = {
            **{k: v for k, v in badge.items() if k not in ("key", "alignments")},
            "prerequisites": sorted(badge["prerequisites"]),
            "alignments": sorted(
                tuple(a.get(f, "") for f in ALIGNMENT) for a in badge["alignments"]
            ),
        }
    return {"credential": content["credential"], "badges": badges}


def _apply(ops: list, content: dict) -> dict:
    """`content` with one editor's operations applied, as a landed save must be."""
    content = copy.deepcopy(normalise(content))
    for op in ops:
        if op[0] == "keep" and op[1] not in _badges(content):
            content["badges"].append(copy.deepcopy(op[2]))
    for op in ops:
        kind, badges = op[0], _badges(content)
        if kind == "c":
            content["credential"][op[1]] = op[2]
        elif kind == "b":
            badges[op[1]][op[2]] = op[3]
        elif kind == "remove":
            content["badges"] = [b for b in content["badges"] if b["key"] != op[1]]
            for badge in content["badges"]:
                badge["prerequisites"] = [
                    p for p in badge["prerequisites"] if p != op[1]
                ]
        elif kind == "prereq+" and op[2] not in badges[op[1]]["prerequisites"]:
            badges[op[1]]["prerequisites"].append(op[2])
        elif kind == "prereq-" and op[1] in badges:
            badges[op[1]]["prerequisites"] = [
                p for p in badges[op[1]]["prerequisites"] if p != op[2]
            ]
        elif kind == "align+":
            badges[op[1]]["alignments"].append(dict(zip(ALIGNMENT, op[2], strict=True)))
        elif kind == "align-":
            badges[op[1]]["alignments"] = [
                a for a in badges[op[1]]["alignments"] if a.get("key") != op[2]
            ]
    # A kept badge may name one removed since: a save drops what names nothing.
    present = set(_badges(content))
    for badge in content["badges"]:
        badge["prerequisites"] = [
            p
            for p in badge["prerequisites"]
            if p in present or p.startswith("catalog:")
        ]
    return content


class Page:
    """One editor's open editor page: the form data it would post, the revision it
    is based on, what it shows, what the editor typed since it was based on that
    revision, and the conflicts it still waits for the editor to resolve."""

    def __init__(self, response, proposal, ops=()):
        form = response.context["form"]
        self.data = posted(form)
        self.fields = set(form.fields)
        self.offered = {
            name: {choice for choice, _label in field.choices}
            for name, field in form.fields.items()
            if name.endswith("-prerequisites")
        }
        self.layout = json.loads(self.data["layout"])
        self.shown = normalise(form.content)
        number = int(self.data["based_on"])
        self.base = normalise(proposal.revisions.get(number=number).content)
        self.conflicts = list(response.context.get("conflicts") or [])
        self.ops: list = list(ops)

    @property
    def badges(self) -> list[str]:
        return list(self.layout["badges"])

    def live(self, anywhere=False) -> list[str]:
        """Badges the editor has not removed, whose fields are on the page (unless
        `anywhere`)."""
        removed = {op[1] for op in self.ops if op[0] == "remove"} | {
            key
            for key in self.layout["decide"]
            if self.data.get(f"b-{key}-decide") == "remove"
        }
        return [
            k
            for k in self.badges
            if k not in removed and (anywhere or f"b-{k}-name" in self.fields)
        ]


class CoEditing(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.counter = 0

    @initialize()
    def start(self):
        KEYS.reset()
        lead, mate, third = (UserFactory() for _ in EDITORS)
        proposal = ProposalFactory(proposer=lead, state=State.TEAM_FORMING)
        team = confirmed_team(proposal, lead=lead)
        for user in (mate, third):
            Membership.objects.create(
                team=team, user=user, role=Role.FACULTY, campus=campus("UMF")
            )
        log_meetings(team)
        workflow.perform(proposal, "start_development", user=lead)
        self.proposal = proposal
        self.url = reverse("drafts:editor", args=[proposal.pk])
        self.whole = {"section": "all"}
        self.clients = []
        for user in (lead, mate, third):
            client = Client()
            client.force_login(user)
            self.clients.append(client)
        # Everyone opens the first revision at once (the same page), so the first
        # saves race.
        first = Page(self.clients[0].get(self.url, self.whole), proposal)
        self.pages = [copy.deepcopy(first) for _ in EDITORS]
        self.model = services.latest(proposal).content
        self.known = set(_badges(self.model))

    def _typed(self) -> str:
        self.counter += 1
        return f"typed {self.counter}"

    def _page(self, who) -> Page | None:
        """The editor's page to type into, opened now if they have none open."""
        if self.pages[who] is None:
            self._open(who, self.whole)
        return self.pages[who]

    def _open(self, who, query):
        response = self.clients[who].get(self.url, query)
        self.pages[who] = Page(response, self.proposal)

    # Opening the editor and typing into it.

    @rule(who=st.sampled_from(EDITORS))
    def reload_editor(self, who):
        page = self.pages[who]
        if page is not None and not page.ops:
            self._open(who, self.whole)

    @rule(who=st.sampled_from(EDITORS), index=st.integers(0, 3))
    def open_section(self, who, index):
        """Open one section (the credential, or a badge) instead of the whole form;
        its save must change nothing outside it."""
        page = self.pages[who]
        if page is not None and page.ops:
            return
        newest = services.latest(self.proposal).content
        sections = ["credential", *(f"badge-{k}" for k in _badges(newest))]
        self._open(who, {"section": sections[index % len(sections)]})
        assert self.pages[who].layout["badges"].keys() == _badges(newest).keys()

    @rule(
        pair=st.permutations(EDITORS),
        index=st.integers(0, 1),
        field=st.sampled_from(BADGE_TEXT),
        how=st.sampled_from(["edit", "remove", "prerequisite", "summary"]),
        data=st.data(),
    )
    def clash(self, pair, index, field, how, data):
        """Two editors change the same thing, then (perhaps) both save: the same
        field, a badge one removes and the other edits or names as a prerequisite."""
        first, second = pair[0], pair[1]
        if how == "summary":
            self.type_credential(first, "summary")
            self.type_credential(second, "summary")
        else:
            self.type_badge(first, index, field)
        if how == "edit":
            self.type_badge(second, index, field)
        elif how == "remove":
            self.remove_badge(second, index)
        elif how == "prerequisite":
            self.remove_badge(first, index)
            self.toggle_prerequisite(second, index + 1, index)
        if data.draw(st.booleans()):
            self.save(first, data)
            self.save(second, data)

    @rule(who=st.sampled_from(EDITORS), field=st.sampled_from(CREDENTIAL_TEXT))
    def type_credential(self, who, field):
        if (page := self._page(who)) and f"c-{field}" in page.fields:
            value = self._typed()
            page.data[f"c-{field}"] = value
            page.ops = [o for o in page.ops if o[:2] != ("c", field)]
            page.ops.append(("c", field, value))

    @rule(
        who=st.sampled_from(EDITORS),
        index=st.integers(0, 1),
        field=st.sampled_from(BADGE_TEXT),
    )
    def type_badge(self, who, index, field):
        if (page := self._page(who)) and page.live():
            key = page.live()[index % len(page.live())]
            value = self._typed()
            page.data[f"b-{key}-{field}"] = value
            page.ops = [o for o in page.ops if o[:3] != ("b", key, field)]
            page.ops.append(("b", key, field, value))

    @rule(who=st.sampled_from(EDITORS), index=st.integers(0, 1))
    def remove_badge(self, who, index):
        if (page := self._page(who)) and page.live() and len(page.live(True)) > 1:
            key = page.live()[index % len(page.live())]
            if key in page.layout["decide"]:
                self._decide(page, key, keep=False)
                return
            page.data[f"b-{key}-remove"] = "on"
            page.ops = [o for o in page.ops if key not in o[1:3]]
            _unname(page, key, page.live())
            page.ops.append(("remove", key))

    @rule(who=st.sampled_from(EDITORS), a=st.integers(0, 1), b=st.integers(0, 3))
    def toggle_prerequisite(self, who, a, b):
        if (page := self._page(who)) and page.live():
            live, others = page.live(), page.live(anywhere=True)
            key, other = live[a % len(live)], others[b % len(others)]
            name = f"b-{key}-prerequisites"
            chosen = list(page.data.get(name, []))
            if other not in page.offered[name]:
                return
            if other in chosen:
                chosen.remove(other)
                op, undo = ("prereq-", key, other), ("prereq+", key, other)
            else:
                chosen.append(other)
                op, undo = ("prereq+", key, other), ("prereq-", key, other)
            page.data[name] = chosen
            if undo in page.ops:
                page.ops.remove(undo)
            else:
                page.ops.append(op)

    @rule(who=st.sampled_from(EDITORS), index=st.integers(0, 1))
    def add_alignment(self, who, index):
        if (page := self._page(who)) and page.live():
            key = page.live()[index % len(page.live())]
            if any(o[:2] == ("align+", key) for o in page.ops):
                return
            values = (self._typed(), self._typed(), "", "")
            for field, value in zip(ALIGNMENT, values, strict=True):
                page.data[f"b-{key}-al-new-{field}"] = value
            page.ops.append(("align+", key, values))

    @rule(who=st.sampled_from(EDITORS), index=st.integers(0, 1))
    def remove_alignment(self, who, index):
        if not (page := self._page(who)):
            return
        rows = [
            (key, alignment)
            for key in page.live()
            for alignment in page.layout["badges"][key]
            if any(page.data.get(f"b-{key}-al-{alignment}-{f}") for f in ALIGNMENT)
        ]
        if rows:
            key, alignment = rows[index % len(rows)]
            for field in ALIGNMENT:
                page.data[f"b-{key}-al-{alignment}-{field}"] = ""
            saved = _badges(page.base).get(key, {}).get("alignments", [])
            if any(a["key"] == alignment for a in saved):
                page.ops.append(("align-", key, alignment))
                return
            # A conflict page shows the editor's own unsaved alignments (added, or
            # in a badge they keep by decision): emptying one takes that back, it
            # removes nothing saved.
            for i, op in enumerate(page.ops):
                if op[:2] == ("keep", key):
                    rows = [a for a in op[2]["alignments"] if a["key"] != alignment]
                    page.ops[i] = ("keep", key, {**op[2], "alignments": rows})
                    return
            [row] = [
                a
                for a in _badges(page.shown)[key]["alignments"]
                if a["key"] == alignment
            ]
            page.ops.remove(("align+", key, tuple(row.get(f, "") for f in ALIGNMENT)))

    @precondition(lambda self: len(self.known) < 9)
    @rule(who=st.sampled_from(EDITORS), level=st.sampled_from([v for v, _l in LEVELS]))
    def add_badge(self, who, level):
        page = self._page(who)
        if page is None or page.ops:
            return
        before = services.latest(self.proposal)
        self.clients[who].post(
            reverse("drafts:add_badge", args=[self.proposal.pk]),
            {"level": level, "based_on": page.data["based_on"]},
        )
        after = services.latest(self.proposal)
        if after.number != before.number:
            [added] = set(_badges(after.content)) - set(_badges(before.content))
            assert _badges(after.content)[added]["level"] == level
            self.known.add(added)
            self.model = after.content
        self.pages[who] = None

    # Saving, and resolving conflicts either way.

    @rule(who=st.sampled_from(EDITORS), data=st.data())
    def save(self, who, data):
        """Save the editor's page; on a conflict page, resolve each conflict either
        way (the page stays open, to be saved again later)."""
        page = self.pages[who]
        if page is None:
            return
        current = services.latest(self.proposal)
        response = self.clients[who].post(self.url, page.data)
        after = services.latest(self.proposal)
        event(f"save: {response.status_code}")
        if response.status_code == 302:
            self._check_landed(page, current.content, after.content)
            self.model = after.content
            self.pages[who] = None
            return
        assert response.status_code == 200
        assert after.number == current.number, "a conflict saves nothing"
        if errors := response.context["form"].errors:
            # A badge kept by decision beside badges added meanwhile can pass the
            # cap: refused, naming it, and the page stays open as typed.
            cap = f"A credential has at most {MAX_BADGES} badges; remove this one."
            assert {m for ms in errors.values() for m in ms} == {cap}, errors
            event("save: over the badge cap")
            return
        shown = Page(response, self.proposal, page.ops)
        assert shown.conflicts
        assert shown.base == normalise(current.content)
        self._check_shown(shown)
        shown.ops = [o for o in shown.ops if not _done(o, shown)]
        for conflict in shown.conflicts:
            event(f"conflict: {conflict.removed_by or conflict.path[-1]}")
            if not conflict.removed_by and data.draw(st.booleans()):
                self._take_theirs(shown, conflict)
        for key in shown.layout["decide"]:
            self._decide(shown, key, data.draw(st.booleans()))
        self.pages[who] = shown

    def _decide(self, page, key: str, keep: bool):
        page.data[f"b-{key}-decide"] = "keep" if keep else "remove"
        ours = [o for o in page.ops if key in o[1:3]]
        if keep:
            page.ops = [o for o in page.ops if o != ("remove", key)]
            if key not in _badges(page.base):
                # The page shows the badge with all the editor typed into it: that
                # whole badge is what keeping it adds.
                page.ops = [o for o in page.ops if o[1] != key]
                page.ops.append(("keep", key, _badges(page.shown)[key]))
        else:
            page.ops = [o for o in page.ops if o not in ours]
            if key in _badges(page.base):
                _unname(page, key, page.badges)
                page.ops.append(("remove", key))

    def _take_theirs(self, page, conflict):
        if conflict.path[0] == "credential":
            name, op = f"c-{conflict.path[1]}", ("c", conflict.path[1])
        else:
            _badges_word, key, field = conflict.path
            name, op = f"b-{key}-{field}", ("b", key, field)
        page.data[name] = conflict.theirs
        page.ops = [o for o in page.ops if o[: len(op)] != op]

    # The checks.

    def _check_landed(self, page, current: dict, saved: dict):
        landed, expected = _canonical(saved), _canonical(_apply(page.ops, current))
        assert landed == expected, _difference(landed, expected, page.ops)
        for op in page.ops:
            assert not _overwrites(op, page.base, current), op

    def _check_shown(self, shown: Page):
        content, data = _badges(shown.shown), shown.data
        pending = set(shown.layout["decide"])
        for op in shown.ops:
            kind = op[0]
            if kind == "c":
                assert data[f"c-{op[1]}"] == op[2], op
            elif kind == "b":
                assert data[f"b-{op[1]}-{op[2]}"] == op[3], op
            elif kind == "remove":
                assert op[1] not in content or op[1] in pending, op
            elif kind == "prereq+":
                assert op[2] in data[f"b-{op[1]}-prerequisites"], op
            elif kind == "prereq-" and op[1] in content:
                assert op[2] not in data.get(f"b-{op[1]}-prerequisites", []), op
            elif kind == "align+":
                rows = content[op[1]]["alignments"]
                assert op[2] in [tuple(a.get(f, "") for f in ALIGNMENT) for a in rows]
            elif kind == "align-" and op[1] in content:
                assert op[2] not in shown.layout["badges"][op[1]], op

    @invariant()
    def no_badge_nobody_wrote(self):
        if not hasattr(self, "proposal"):
            return
        newest = services.latest(self.proposal).content
        levels = {value for value, _label in LEVELS}
        for badge in newest["badges"]:
            assert badge["key"] in self.known and badge["level"] in levels, badge
        assert _canonical(newest) == _canonical(self.model)


def _difference(landed: dict, expected: dict, ops: list) -> str:
    """What a landed save got wrong, item by item, for the failure message."""
    lines = [f"ops: {ops}"]
    if landed["credential"] != expected["credential"]:
        lines.append(f"credential: {landed['credential']} != {expected['credential']}")
    for key in sorted({*landed["badges"], *expected["badges"]}):
        a, b = landed["badges"].get(key), expected["badges"].get(key)
        if a != b:
            lines.append(f"badge {key}: landed {a}, expected {b}")
    return "\n".join(lines)


def _unname(page, key: str, others: list[str]) -> None:
    """Removing a badge removes it from the prerequisites that named it in the
    page's revision. A tick the editor added to it on this page was their own
    unsaved change, dropped with the badge (its op went with it): it is no removal,
    and a prerequisite someone else saved meanwhile stays on the badge they name
    while its removal waits for a decision."""
    saved = _badges(page.base)
    for other in others:
        ticked = key in page.data.get(f"b-{other}-prerequisites", [])
        if ticked and key in saved.get(other, {}).get("prerequisites", []):
            page.ops.append(("prereq-", other, key))


def _done(op, page: Page) -> bool:
    """Whether the page's new base (the revision its conflicts were merged with)
    already holds what the operation did. It is then part of a saved revision, no
    longer the editor's unsaved change: whoever changes it after that revision
    changes it again, as the three-way merge has it (someone keeps that badge by
    their own decision, or ticks that prerequisite once more)."""
    kind, badges = op[0], _badges(page.base)
    if kind == "remove":
        return op[1] not in badges and op[1] not in page.badges
    if kind in ("prereq+", "prereq-") and op[1] in badges:
        return (op[2] in badges[op[1]]["prerequisites"]) == (kind == "prereq+")
    return False


def _overwrites(op, base: dict, current: dict) -> bool:
    """Whether a landed operation replaced something saved since the editor's page
    was based on `base`: that must have come back as a conflict instead."""
    kind = op[0]
    if kind == "c":
        before, now = base["credential"][op[1]], current["credential"][op[1]]
        return before != now and now != op[2]
    was, now = _badges(base).get(op[1]), _badges(current).get(op[1])
    if kind == "b" and was is not None:
        meanwhile = (now or {}).get(op[2])
        return was[op[2]] != meanwhile and meanwhile != op[3]
    if kind == "remove":
        return now is not None and was != now
    return False


@pytest.mark.django_db
def test_co_editing_loses_nothing_typed(monkeypatch):
    monkeypatch.setattr(schema, "new_key", KEYS)
    monkeypatch.setattr(forms, "new_key", KEYS)
    run_state_machine_as_test(
        CoEditing,
        settings=settings(
            max_examples=8,
            stateful_step_count=20,
            deadline=None,
            database=None,
            # The same examples on every run: what it finds, CI finds again.
            # Explore with more random examples when changing the editor.
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
