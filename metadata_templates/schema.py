"""What the meta-data template holds (DESIGN.md): credential-wide fields, and one badge
definition per level. A draft's content is plain JSON of this shape:

    {"credential": {field: value, ...},
     "badges": [{"key": "...", field: value, ...,
                 "alignments": [{"key": "...", "framework": ..., "code": ...,
                                 "name": ..., "url": ...}],
                 "prerequisites": ["<badge key>" or "catalog:<proposal>:<badge key>"]}]}

Badges and alignments carry a stable key, so that two people's edits of the same item
can be merged item by item."""

from __future__ import annotations

import pickle
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

TEXT, TEXTAREA, CHOICE, MULTI, NUMBER = "text", "textarea", "choice", "multi", "number"

# Limits of one draft (README, "Limits"): they bound the size of a draft, of the
# editor's form and of the PDF summary.
MAX_BADGES = 6
MAX_ALIGNMENTS = 5
MAX_PREREQUISITES = 10
MAX_LENGTH = {TEXT: 200, TEXTAREA: 2_000}
ALIGNMENT_MAX_LENGTH = 200

LEVELS = (
    ("1", _("Level 1 – Introduction and foundation")),
    ("2", _("Level 2 – Training and practice")),
    ("3", _("Level 3 – Application and feedback")),
    ("macro", _("Macro-badge – UMS micro-credential")),
)
LEVEL_ORDER = {value: index for index, (value, _label) in enumerate(LEVELS)}
PARTICIPATION = (
    ("online", _("Online")),
    ("in_person", _("In person")),
    ("blended", _("Blended")),
)
# Seed 001's forms of training and of applied learning, and seed 003's activities.
ACTIVITIES = (
    ("video", _("Video series or readings")),
    ("workshop", _("Workshop")),
    ("course", _("Course or online module")),
    ("bootcamp", _("Bootcamp or program")),
    ("webinar", _("Webinar")),
    ("team_project", _("Team project or collaborative assignment")),
    ("internship", _("Internship, co-op or externship")),
    ("apprenticeship", _("Apprenticeship")),
    ("work_based", _("Work-based or on-the-job learning")),
    ("applied", _("Experiential, applied learning")),
)
WORK_BASED = {"internship", "apprenticeship", "work_based", "applied"}
TRAINING = {"workshop", "course", "bootcamp", "webinar", "team_project"}
# Seed 003's kinds of evidence.
EVIDENCE = (
    ("reflection", _("Reflection")),
    ("quiz", _("Quiz or exam")),
    ("assignment", _("Assignment or worksheet")),
    ("artefact", _("Project, artefact or deliverable")),
    ("portfolio", _("Portfolio")),
    ("observation", _("Observed performance")),
    ("supervisor", _("Supervisor or employer evaluation")),
    ("collaboration", _("Verification of collaboration")),
)
ASSESSMENTS = (
    ("quiz", _("Quiz or exam with a passing score")),
    ("rubric", _("Assignment scored with a rubric")),
    ("portfolio", _("Portfolio review")),
    ("performance", _("Performance observed with feedback")),
    ("supervisor", _("Supervisor or employer evaluation")),
    ("completion", _("Verified completion of all levels")),
)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    help: str = ""
    kind: str = TEXT
    choices: tuple = field(default=())


CREDENTIAL_FIELDS = (
    Field("title", _("Title"), _("The name learners and employers will see.")),
    Field(
        "summary",
        _("Summary"),
        _("What the micro-credential recognises, in two or three sentences."),
        TEXTAREA,
    ),
    Field(
        "pathway_type",
        _("Pathway type"),
        _("Workforce development, or lifelong learning."),
        CHOICE,
        (
            ("workforce", _("Workforce development")),
            ("lifelong", _("Lifelong learning")),
        ),
    ),
    Field(
        "category", _("Category"), _("e.g. 21st Century Skills; Precision Machining.")
    ),
    Field("lead_campus", _("Lead campus")),
    Field(
        "participating_campuses",
        _("Participating campuses and organisations"),
        _("Every campus and partner that helps deliver it."),
        TEXTAREA,
    ),
    Field("target_audience", _("Target audience"), kind=TEXTAREA),
    Field(
        "employer_partners",
        _("Employer and industry partners"),
        _("Who they are and what they contributed."),
        TEXTAREA,
    ),
    Field(
        "industry_alignment",
        _("Alignment to industry certifications or standards"),
        kind=TEXTAREA,
    ),
    Field(
        "credit_options",
        _("Credit options"),
        _(
            "UMS micro-credentials are non-credit; say whether credit may be awarded "
            "through Prior Learning Assessment or External Review."
        ),
        TEXTAREA,
    ),
    Field(
        "quality_assurance",
        _("Quality assurance"),
        _(
            "Who vets the evidence, against which standard (the UMS framework: all "
            "badge evidence is vetted, against standards, by UMS faculty or staff)."
        ),
        TEXTAREA,
    ),
    Field(
        "keywords", _("Keywords"), _("Comma-separated; they become the badges' tags.")
    ),
    Field("language", _("Language of instruction"), _("e.g. English.")),
    Field(
        "issuing_option",
        _("Issuing option"),
        _("The badging platform that will issue the badges."),
    ),
    Field(
        "communication_plan",
        _("Communication plan"),
        _("How learners and employers will hear about it."),
        TEXTAREA,
    ),
    Field("marketing_notes", _("Marketing notes"), kind=TEXTAREA),
)

BADGE_FIELDS = (
    Field("name", _("Badge name")),
    Field("level", _("Level"), kind=CHOICE, choices=LEVELS),
    Field(
        "description",
        _("Description"),
        _('What an earner has shown: "Earners of … have demonstrated …".'),
        TEXTAREA,
    ),
    Field(
        "criteria",
        _("Criteria"),
        _("What a learner must do to earn the badge: rigorous criteria to meet."),
        TEXTAREA,
    ),
    Field(
        "competencies",
        _("Competencies and learning outcomes"),
        _("One per line: what the learner can do afterwards."),
        TEXTAREA,
    ),
    Field(
        "activities",
        _("Learning activities"),
        _(
            "Level 2 is training and practice; Level 3 is applied or work-based "
            "learning."
        ),
        MULTI,
        ACTIVITIES,
    ),
    Field(
        "courses",
        _("Required courses or activities"),
        _("One per line, e.g. WDB-011: Blueprint Reading."),
        TEXTAREA,
    ),
    Field(
        "evidence_kinds",
        _("Evidence the learner submits"),
        kind=MULTI,
        choices=EVIDENCE,
    ),
    Field(
        "evidence",
        _("Evidence, in detail"),
        _("What exactly is submitted; all evidence is vetted against standards."),
        TEXTAREA,
    ),
    Field("assessment", _("Assessment method"), kind=CHOICE, choices=ASSESSMENTS),
    Field(
        "passing_threshold",
        _("Passing threshold"),
        _("e.g. a score of 80 % or higher on the quiz."),
    ),
    Field(
        "feedback",
        _("Performance feedback"),
        _("How learners receive valued feedback in their applied learning (Level 3)."),
        TEXTAREA,
    ),
    Field("hours", _("Estimated hours"), _("Notional workload in hours."), NUMBER),
    Field(
        "participation", _("Form of participation"), kind=CHOICE, choices=PARTICIPATION
    ),
)
ALIGNMENT_FIELDS = (
    Field("framework", _("Framework")),
    Field("code", _("Code")),
    Field("name", _("Name")),
    Field("url", _("Web address")),
)
CREDENTIAL_LABELS = {f.key: f.label for f in CREDENTIAL_FIELDS}
BADGE_LABELS = {
    **{f.key: f.label for f in BADGE_FIELDS},
    "alignments": _("Alignments"),
    "prerequisites": _("Prerequisites"),
}


def new_key() -> str:
    return uuid.uuid4().hex[:12]


def empty_value(definition: Field):
    return [] if definition.kind == MULTI else ""


def blank_badge(level: str, name: str = "") -> dict:
    badge = {f.key: empty_value(f) for f in BADGE_FIELDS}
    badge.update(key=new_key(), level=level, name=name, alignments=[], prerequisites=[])
    return badge


def normalise(content: dict | None) -> dict:
    """A complete content dict: every known field present, unknown ones kept."""
    # A deep copy: pickle's round trip makes one of plain data several times
    # faster than copy.deepcopy, and pages normalise the same draft several times.
    content = pickle.loads(pickle.dumps(content or {}, pickle.HIGHEST_PROTOCOL))
    credential = content.setdefault("credential", {})
    for definition in CREDENTIAL_FIELDS:
        credential.setdefault(definition.key, empty_value(definition))
    # Keys are made only where missing: setdefault would draw a random one each time.
    for badge in content.setdefault("badges", []):
        if "key" not in badge:
            badge["key"] = new_key()
        for definition in BADGE_FIELDS:
            badge.setdefault(definition.key, empty_value(definition))
        badge.setdefault("alignments", [])
        badge.setdefault("prerequisites", [])
        for alignment in badge["alignments"]:
            if "key" not in alignment:
                alignment["key"] = new_key()
    content["badges"].sort(key=lambda b: LEVEL_ORDER.get(b.get("level"), 99))
    return content


def may_precede(candidate: dict, badge: dict) -> bool:
    """Whether `candidate` can be a prerequisite of `badge`: a lower level only, so
    never the badge itself nor its own higher levels. A badge without a level may
    be preceded by any other; a candidate without one precedes nothing."""
    order = LEVEL_ORDER.get(badge.get("level"))
    if candidate.get("key") == badge.get("key"):
        return False
    if order is None:
        return True
    return LEVEL_ORDER.get(candidate.get("level"), order) < order


def level_prerequisites(badges: list[dict], level: str) -> list[str]:
    """The default prerequisites of a new badge of `level` in a pathway: the badges
    of the nearest lower level (Level 2 needs Level 1, the macro-badge Level 3)."""
    order = LEVEL_ORDER.get(level)
    if order is None:
        return []
    lower = [b for b in badges if LEVEL_ORDER.get(b.get("level"), order) < order]
    if not lower:
        return []
    nearest = max(LEVEL_ORDER[b["level"]] for b in lower)
    return [b["key"] for b in lower if LEVEL_ORDER[b["level"]] == nearest]


def badge_label(badge: dict) -> str:
    """The badge's name with its level, unless the name already says it ("Welding
    Level 1", not "Welding Level 1 (Level 1)")."""
    levels = dict(LEVELS)
    level = str(levels.get(badge.get("level"), badge.get("level") or "")).split(" –")[0]
    name = badge.get("name") or str(_("Unnamed badge"))
    if level and level.lower() in name.lower():
        return name
    return f"{name} ({level})"
