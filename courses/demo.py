"""Demo course mappings against the imported 21st Century Skills badges, one in each
state (and one with a coverage gap), each walked there through the real services so
every timeline is genuine. Runs from load_demo (a step in proposals.hooks.demo_steps)
and adds only what is missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from courses import services
from courses.coverage import criteria_of
from courses.forms import MappingCommentForm
from courses.models import CourseMapping, Kind, Method, Training
from credentials.models import CatalogBadge
from teams.models import Campus


@dataclass
class DemoMapping:
    instructor: str
    code: str
    title: str
    campus: str
    starts: str
    badges: list[str]
    # The transitions walked, each (name, who, note).
    steps: list[tuple[str, str, str]] = field(default_factory=list)
    kind: str = Kind.COURSE
    delivery: str = "in_person"
    learners: int = 60
    training: str = Training.NONE
    training_on: date | None = None
    # Criteria left without an assignment (a coverage gap), by number from 1.
    gaps: tuple[int, ...] = ()
    comment: str = ""


# "instructor" stands for the mapping's own instructor.
SUBMIT = ("submit", "instructor", "")
APPROVE = [SUBMIT, ("approve", "staff", "Every criterion is assessed in the course.")]
MAPPINGS = [
    DemoMapping(
        "faculty",
        "ENG 101",
        "College Composition",
        "UMA",
        "Fall 2027",
        ["Critical Thinking"],
        APPROVE,
        learners=120,
        training=Training.DONE,
        training_on=date(2026, 9, 14),
    ),
    DemoMapping(
        "proposer2",
        "BUS 210",
        "Leading Teams",
        "USM",
        "Spring 2027",
        ["Collaboration", "Empathy"],
        [SUBMIT],
        delivery="blended",
        training=Training.REQUESTED,
    ),
    DemoMapping(
        "faculty",
        "COM 150",
        "Intercultural Communication",
        "UMaine",
        "Fall 2027",
        ["Intercultural Fluency"],
        [
            SUBMIT,
            (
                "request_changes",
                "staff",
                "Please name a rubric threshold for the reflection paper.",
            ),
        ],
        delivery="online",
        comment="Which rubric row scores this? Give the level learners must reach.",
    ),
    DemoMapping(
        "designer",
        "SLP",
        "Student Leadership Program",
        "UMF",
        "Fall 2027",
        ["Initiative"],
        kind=Kind.PROGRAM,
        learners=25,
        training=Training.SCHEDULED,
        training_on=date(2027, 1, 20),
        gaps=(2, 3),
    ),
    DemoMapping(
        "proposer2",
        "PSY 100",
        "Introduction to Psychology",
        "UMPI",
        "Fall 2026",
        ["Creative Problem Solving"],
        [
            *APPROVE,
            ("retire", "instructor", "The course was redesigned without the project."),
        ],
    ),
]


def _rows(badges, gaps: tuple[int, ...]) -> dict:
    return {
        (badge.pk, criterion.key): {
            "assignment": f"Project {number}: {criterion.text[:60]}",
            "method": Method.RUBRIC,
            "how": "Scored with the course rubric shared with the badge office.",
            "threshold": "Proficient (3 of 4) or higher",
        }
        for badge in badges
        for number, criterion in enumerate(criteria_of(badge), start=1)
        if number not in gaps
    }


def load(users: dict) -> int:
    """Create the demo mappings that are missing; return how many were created."""
    created = 0
    for spec in MAPPINGS:
        campus = Campus.objects.get(short_name=spec.campus)
        if CourseMapping.objects.filter(course_code=spec.code, campus=campus).exists():
            continue
        badges = list(
            CatalogBadge.objects.listed()
            .filter(name__in=spec.badges, category="21st Century Skills")
            .select_related("revision")
        )
        if not badges:
            continue
        mapping = services.start(
            CourseMapping(
                kind=spec.kind,
                course_code=spec.code,
                course_title=spec.title,
                campus=campus,
                starts=spec.starts,
                delivery=spec.delivery,
                learners_per_year=spec.learners,
                training=Training.REQUESTED if spec.training else Training.NONE,
            ),
            user=users[spec.instructor],
            badges=badges,
            rows=_rows(badges, spec.gaps),
        )
        for name, who, note in spec.steps:
            who = spec.instructor if who == "instructor" else who
            if name == "request_changes" and spec.comment:
                badge = badges[0]
                form = MappingCommentForm(
                    {"badge": str(badge.pk), "field": "c1", "body": spec.comment},
                    anchors={(str(badge.pk), "c1")},
                )
                form.is_valid()
                services.add_comment(form, mapping, users[who])
            services.perform(mapping, name, user=users[who], note=note)
        if spec.training in (Training.SCHEDULED, Training.DONE):
            services.set_training(mapping, status=spec.training, on=spec.training_on)
        created += 1
    return created
