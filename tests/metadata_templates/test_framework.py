"""The UMS framework check, rule by rule."""

import copy

import pytest

from metadata_templates.demo_content import complete_content, ums_mcd_content
from metadata_templates.framework import check, submission_problems
from metadata_templates.schema import badge_label
from proposals import hooks


@pytest.fixture
def pathway():
    return ums_mcd_content()


def _badge(content, level):
    return next(b for b in content["badges"] if b["level"] == level)


def _messages(content, pathway=True):
    return [(f.badge, f.field, f.message) for f in check(content, pathway=pathway)]


def test_the_seed_003_pathway_passes(pathway):
    assert check(pathway, pathway=True) == []


@pytest.mark.parametrize(
    "field",
    [
        "title",
        "summary",
        "pathway_type",
        "target_audience",
        "quality_assurance",
        "language",
    ],
)
def test_credential_fields_the_framework_needs(pathway, field):
    pathway["credential"][field] = ""
    [finding] = check(pathway, pathway=True)
    assert (finding.badge, finding.field) == ("", field)


@pytest.mark.parametrize("level", ["1", "2", "3", "macro"])
def test_every_badge_needs_criteria_and_evidence(pathway, level):
    badge = _badge(pathway, level)
    badge["criteria"] = ""
    badge["evidence"], badge["evidence_kinds"] = "", []
    fields = {(f.badge, f.field) for f in check(pathway, pathway=True)}
    assert fields == {(badge["key"], "criteria"), (badge["key"], "evidence")}


def test_evidence_kinds_alone_count_as_evidence(pathway):
    _badge(pathway, "1")["evidence"] = ""
    assert check(pathway, pathway=True) == []


@pytest.mark.parametrize("level", ["1", "2", "3"])
@pytest.mark.parametrize(
    "field",
    ["competencies", "assessment", "hours", "participation", "description", "name"],
)
def test_each_level_is_assessed_and_described(pathway, level, field):
    badge = _badge(pathway, level)
    badge[field] = ""
    assert (badge["key"], field) in {
        (f.badge, f.field) for f in check(pathway, pathway=True)
    }


def test_a_quiz_needs_a_passing_score(pathway):
    _badge(pathway, "1")["passing_threshold"] = ""
    [finding] = check(pathway, pathway=True)
    assert finding.field == "passing_threshold" and "80 %" in finding.message


def test_hours_must_be_a_number(pathway):
    _badge(pathway, "2")["hours"] = "about six"
    assert check(pathway, pathway=True)[0].field == "hours"


def test_level_2_is_training_and_practice(pathway):
    _badge(pathway, "2")["activities"] = ["video"]
    [finding] = check(pathway, pathway=True)
    assert finding.field == "activities" and "training" in finding.message


def test_level_3_is_applied_learning_with_feedback(pathway):
    badge = _badge(pathway, "3")
    badge["activities"] = ["video"]
    badge["feedback"] = ""
    assert {f.field for f in check(pathway, pathway=True)} == {"activities", "feedback"}


def test_a_pathway_needs_all_three_levels_and_the_macro_badge(pathway):
    pathway["badges"] = [b for b in pathway["badges"] if b["level"] != "2"]
    messages = _messages(pathway)
    assert any("Level 2" in m for _b, _f, m in messages)
    pathway["badges"] = [b for b in pathway["badges"] if b["level"] != "macro"]
    assert any("macro" in m for _b, _f, m in _messages(pathway))


def test_a_macro_badge_needs_a_pathway():
    content = complete_content(
        "Welding", ["1", "macro"], pathway_type="workforce", audience="x", campus="USM"
    )
    assert any("belongs to a UMS pathway" in m for *_x, m in _messages(content, False))


def test_a_pathway_has_one_badge_per_level(pathway):
    pathway["badges"].append(copy.deepcopy(_badge(pathway, "1")) | {"key": "dup"})
    assert any("one badge per level" in m for *_x, m in _messages(pathway))


def test_a_standalone_badge_needs_at_least_one_badge():
    content = complete_content(
        "Welding", [], pathway_type="workforce", audience="x", campus="USM"
    )
    assert [f.field for f in check(content, pathway=False)] == ["badges"]


def test_prerequisites_form_no_cycle(pathway):
    level1, level2 = _badge(pathway, "1"), _badge(pathway, "2")
    level1["prerequisites"] = [_badge(pathway, "3")["key"]]
    findings = check(pathway, pathway=True)
    assert {f.badge for f in findings} == {
        level1["key"],
        level2["key"],
        _badge(pathway, "3")["key"],
    }
    assert all(f.field == "prerequisites" for f in findings)


def test_published_prerequisites_are_not_part_of_a_cycle(pathway):
    _badge(pathway, "1")["prerequisites"] = ["catalog:3:abc"]
    assert check(pathway, pathway=True) == []


@pytest.mark.parametrize("reference", ["gone-badge", "catalog:", "catalog:x:abc"])
def test_a_prerequisite_that_names_no_badge_is_refused(pathway, reference):
    level2 = _badge(pathway, "2")
    level2["prerequisites"] = [*level2["prerequisites"], reference]
    assert [(f.badge, f.field) for f in check(pathway, pathway=True)] == [
        (level2["key"], "prerequisites")
    ]


@pytest.mark.parametrize(
    ("name", "level", "label"),
    [
        ("Welding Level 1", "1", "Welding Level 1"),
        ("Welding Basics", "1", "Welding Basics (Level 1)"),
        ("Welding Micro-Credential", "macro", "Welding Micro-Credential (Macro-badge)"),
        ("", "2", "Unnamed badge (Level 2)"),
    ],
)
def test_a_badge_label_says_the_level_once(name, level, label):
    assert badge_label({"name": name, "level": level}) == label


def test_submitting_a_draft_asks_the_framework_once():
    """proposals/ sits beneath the templates and cannot import the check;
    metadata_templates/apps.py registers it, and only once."""
    assert hooks.submission_checks.count(submission_problems) == 1
