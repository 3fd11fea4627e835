"""The coverage check's rules: what a badge's criteria are, and which gaps it names
(anchored to the badge and criterion, so the page links each one)."""

from types import SimpleNamespace

import pytest

from courses import coverage
from courses.coverage import Criterion, criteria_of

CRITICAL_THINKING = (
    "Critical thinking in the 21st century includes the capacity to reason logically "
    "and rigorously. Effective critical thinkers exhibit four core sub-competencies: "
    "gather and assess relevant information; identify patterns; question "
    "assumptions; and draw well-reasoned conclusions."
)


def _badge(monkeypatch, pk=7, **definition):
    badge = SimpleNamespace(pk=pk, name="Critical Thinking", description="")
    full = {"competencies": "", "criteria": "", "description": "", **definition}
    monkeypatch.setattr(coverage, "badge_and_credential", lambda b: (full, {}))
    return badge


def test_competencies_are_the_criteria_one_per_line(monkeypatch):
    badge = _badge(
        monkeypatch, competencies="- Gather information\n\n• Question assumptions"
    )
    assert criteria_of(badge) == [
        Criterion("c1", "Gather information"),
        Criterion("c2", "Question assumptions"),
    ]


def test_criteria_lines_when_no_competencies(monkeypatch):
    badge = _badge(monkeypatch, criteria="Write an essay\nPresent it")
    assert [c.text for c in criteria_of(badge)] == ["Write an essay", "Present it"]


def test_the_sub_competencies_a_catalog_description_lists(monkeypatch):
    badge = _badge(monkeypatch, description=CRITICAL_THINKING)
    assert [c.text for c in criteria_of(badge)] == [
        "gather and assess relevant information",
        "identify patterns",
        "question assumptions",
        "draw well-reasoned conclusions",
    ]


def test_a_description_without_a_list_is_one_criterion(monkeypatch):
    badge = _badge(monkeypatch, description="Earners show professionalism.")
    assert criteria_of(badge) == [Criterion("c1", "Earners show professionalism.")]


def test_criteria_are_capped(monkeypatch):
    badge = _badge(monkeypatch, competencies="\n".join(f"C{n}" for n in range(30)))
    assert len(criteria_of(badge)) == coverage.MAX_CRITERIA


def test_no_badge_is_a_gap():
    assert [f.field for f in coverage.check([], {})] == ["badges"]


FULL = {"assignment": "Essay 1", "method": "rubric", "threshold": "3 of 4"}


@pytest.mark.parametrize(
    ("row", "gaps"),
    [
        (FULL, []),
        ({}, ["no assignment assesses"]),
        ({**FULL, "assignment": "   "}, ["no assignment assesses"]),
        ({**FULL, "method": ""}, ["say how"]),
        ({**FULL, "threshold": ""}, ["passing threshold"]),
        ({"assignment": "Essay 1"}, ["say how", "passing threshold"]),
    ],
)
def test_each_criterion_needs_an_assignment_a_method_and_a_threshold(
    monkeypatch, row, gaps
):
    badge = _badge(monkeypatch, competencies="Gather information\nIdentify patterns")
    rows = {(7, "c1"): FULL, (7, "c2"): row}
    findings = coverage.check([badge], rows)
    assert [(f.badge, f.field) for f in findings] == [("7", "c2")] * len(gaps)
    for finding, gap in zip(findings, gaps, strict=True):
        assert gap in finding.message
        assert "Identify patterns" in finding.message


def test_every_criterion_of_every_chosen_badge_is_checked(monkeypatch):
    first = _badge(monkeypatch, pk=1, competencies="A\nB")
    second = SimpleNamespace(pk=2, name="Empathy", description="")
    findings = coverage.check([first, second], {(1, "c1"): FULL})
    assert [(f.badge, f.field) for f in findings] == [
        ("1", "c2"),
        ("2", "c1"),
        ("2", "c2"),
    ]
