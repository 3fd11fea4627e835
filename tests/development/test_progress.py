"""The pathway's rules, level by level: what the record and the evidence hold ×
whether the level is met; and a constant number of queries for any number of
people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from development import progress
from development.models import Evidence, Item, LaunchChecklist
from proposals.models import State
from teams.models import Membership, Role
from tests.development.conftest import (
    ALL_EVIDENCE,
    CHECKLIST,
    LEVEL1,
    person_on_team,
    walk,
)
from tests.development.conftest import evidence as _evidence
from tests.factories import ProposalFactory, UserFactory, confirmed_team


def _ready(person, level: str) -> bool:
    return progress.for_person(person).level(level).met


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ({}, False),
        (LEVEL1, True),
        ({**LEVEL1, Item.LEVEL1_QUIZ: 79}, False),
        ({**LEVEL1, Item.LEVEL1_QUIZ: 80}, True),
        ({Item.LEVEL1_QUIZ: 100, Item.LEVEL1_REFLECTION: None}, False),
        ({Item.LEVEL1_COMPLETION: None, Item.LEVEL1_QUIZ: 90}, False),
    ],
)
def test_level_1_is_evidence_only(db, evidence, expected):
    person = UserFactory()
    _evidence(person, evidence)
    assert _ready(person, "1") is expected


@pytest.mark.parametrize(
    ("state", "meetings", "evidence", "expected"),
    [
        (State.TEAM_FORMING, 2, ALL_EVIDENCE, False),  # team not confirmed
        (State.DRAFTING, 2, ALL_EVIDENCE, False),  # no draft submitted
        (State.UNDER_REVIEW, 2, ALL_EVIDENCE, True),
        (State.UNDER_REVIEW, 1, ALL_EVIDENCE, False),  # met the team once
        (State.UNDER_REVIEW, 2, LEVEL1, False),  # no Starter assignment
        (State.UNDER_REVIEW, 2, {Item.STARTER: None}, False),  # Level 1 missing
        (State.REJECTED, 2, ALL_EVIDENCE, True),  # the work was done all the same
        (State.PUBLISHED, 2, ALL_EVIDENCE, True),
    ],
)
def test_level_2_reads_the_team_record(db, state, meetings, evidence, expected):
    person, _proposal = person_on_team(state, meetings=meetings)
    _evidence(person, evidence)
    assert _ready(person, "2") is expected


@pytest.mark.parametrize(
    ("state", "checklist", "evidence", "expected"),
    [
        (State.APPROVED, CHECKLIST, ALL_EVIDENCE, True),
        (State.PUBLISHED, CHECKLIST, ALL_EVIDENCE, True),
        (State.UNDER_REVIEW, CHECKLIST, ALL_EVIDENCE, False),  # not approved
        (State.REJECTED, CHECKLIST, ALL_EVIDENCE, False),
        (State.APPROVED, None, ALL_EVIDENCE, False),  # no checklist
        (State.APPROVED, {**CHECKLIST, "issuing_option": " "}, ALL_EVIDENCE, False),
        (State.APPROVED, {**CHECKLIST, "infographic_link": ""}, ALL_EVIDENCE, False),
        (
            State.APPROVED,
            {**CHECKLIST, "infographic_link": "", "infographic": "Text"},
            ALL_EVIDENCE,
            True,
        ),
        (State.APPROVED, CHECKLIST, {**LEVEL1, Item.STARTER: None}, False),
        (State.APPROVED, CHECKLIST, {Item.LEVEL3_REFLECTION: None}, False),
    ],
)
def test_level_3_reads_the_approval_and_the_checklist(
    db, state, checklist, evidence, expected
):
    person, proposal = person_on_team(state)
    if checklist is not None:
        LaunchChecklist.objects.create(proposal=proposal, **checklist)
    _evidence(person, evidence)
    assert _ready(person, "3") is expected


def test_levels_2_and_3_may_come_from_different_teams(db):
    person, _early = person_on_team(State.UNDER_REVIEW)
    _evidence(person, ALL_EVIDENCE)
    other = ProposalFactory(state=State.APPROVED)
    Membership.objects.create(
        team=confirmed_team(other), user=person, role=Role.DESIGNER
    )
    walk(other, "start_development", "approve")
    LaunchChecklist.objects.create(proposal=other, **CHECKLIST)
    mine = progress.for_person(person)
    assert mine.level("2").met and mine.level("3").met


def test_the_macro_badge_waits_for_the_three_levels_held(db):
    person, proposal = person_on_team(State.APPROVED)
    LaunchChecklist.objects.create(proposal=proposal, **CHECKLIST)
    _evidence(person, ALL_EVIDENCE)
    mine = progress.for_person(person)
    assert [mine.level(level).ready for level in ("1", "2", "3")] == [True] * 3
    assert not mine.level("macro").ready


def test_evidence_is_listed_with_who_recorded_it(db, staff):
    person = UserFactory()
    Evidence.objects.create(
        person=person,
        item=Item.LEVEL1_QUIZ,
        score=92,
        text="Brightspace quiz",
        link="https://brightspace.example.edu/quiz/1",
        by_staff=True,
        recorded_by=staff,
    )
    requirement = progress.for_person(person).level("1").requirements[1]
    (proof,) = requirement.proofs
    assert proof.text == "Score 92 %: Brightspace quiz"
    assert proof.link == "https://brightspace.example.edu/quiz/1"
    assert "recorded by staff" in proof.note


def _queries(users) -> int:
    with CaptureQueriesContext(connection) as ctx:
        progress.for_people(users)
    return len(ctx)


def test_queries_do_not_grow_with_people_teams_or_evidence(db, loaded):
    first, _proposal = person_on_team(State.APPROVED)
    _evidence(first, ALL_EVIDENCE)
    few = _queries([first])
    people = [first]
    for state in (State.UNDER_REVIEW, State.PUBLISHED, State.DRAFTING) * 3:
        person, proposal = person_on_team(state)
        LaunchChecklist.objects.create(proposal=proposal, **CHECKLIST)
        _evidence(person, ALL_EVIDENCE)
        people.append(person)
    assert _queries(people) == few


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_staff_page_does_not_grow_with_people(client, staff, loaded):
    client.force_login(staff)
    url = reverse("development:staff")
    person, proposal = person_on_team(State.APPROVED)
    _evidence(person, ALL_EVIDENCE)
    few = _page_queries(client, url)
    for state in (State.UNDER_REVIEW, State.APPROVED) * 3:
        person, proposal = person_on_team(state)
        LaunchChecklist.objects.create(proposal=proposal, **CHECKLIST)
        _evidence(person, ALL_EVIDENCE)
    assert _page_queries(client, url) == few
