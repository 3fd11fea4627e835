from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import (
    ConcurrentTransitionMixin,
    FSMField,
    FSMModelMixin,
    Transition,
    transition,
)

from courses import permissions, policy
from metadata_templates.models import AnchoredComment
from metadata_templates.schema import PARTICIPATION
from proposals.models import NamedTransitionsMixin


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    RETIRED = "retired", _("Retired")


PATH = (State.DRAFT, State.SUBMITTED, State.APPROVED)
# The instructor writes the mapping in these states; the office reviews in between.
EDITABLE_STATES = (State.DRAFT, State.CHANGES_REQUESTED)


class Kind(models.TextChoices):
    COURSE = "course", _("Course")
    PROGRAM = "program", _("Co-curricular program")


class Method(models.TextChoices):
    RUBRIC = "rubric", _("Scored with a rubric")
    EVIDENCE = "evidence", _("Evidence the learner submits")


class Training(models.TextChoices):
    NONE = "", _("Not requested")
    REQUESTED = "requested", _("Requested")
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")


def _require_note(note: str, message: str) -> None:
    if not note.strip():
        raise ValidationError({"note": message})


def _covered(mapping: CourseMapping) -> bool:
    return not mapping.coverage_problems()


class CourseMappingQuerySet(models.QuerySet):
    def visible_to(self, user) -> CourseMappingQuerySet:
        """Mappings whose record the user may open (courses.policy)."""
        return self.filter(policy.records_visible_to(user))

    def for_list(self) -> CourseMappingQuerySet:
        """What list pages render, in a fixed number of queries, newest first."""
        return (
            self.select_related("campus", "instructor")
            .prefetch_related("badges")
            .order_by("-updated_at", "-pk")
        )

    def approved(self) -> CourseMappingQuerySet:
        """Mappings that award their badges: shown on the public catalog."""
        return self.filter(state=State.APPROVED)

    def mapped_counts(self):
        """How many approved mappings award each badge at each campus, most first
        (the staff dashboard's count of mapped courses)."""
        return (
            self.approved()
            .values("badges__name", "campus__short_name")
            .annotate(courses=models.Count("pk"))
            .order_by("-courses", "badges__name", "campus__short_name")
        )

    def training_requests(self) -> CourseMappingQuerySet:
        """Mappings whose instructor asked for the mapping training, open first."""
        return (
            self.exclude(training=Training.NONE)
            .select_related("campus", "instructor")
            .order_by("training_done_on", "training_on", "training_requested_at")
        )


class CourseMapping(
    NamedTransitionsMixin, ConcurrentTransitionMixin, FSMModelMixin, models.Model
):
    """A course or co-curricular program whose assignments assess the criteria of
    one or more published badges, so that its learners earn them (seed 001)."""

    state = FSMField(
        _("state"), default=State.DRAFT, choices=State.choices, protected=True
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="course_mappings",
        verbose_name=_("instructor"),
    )
    badges = models.ManyToManyField(
        "credentials.CatalogBadge",
        related_name="course_mappings",
        verbose_name=_("badges"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.COURSE
    )
    course_code = models.CharField(
        _("course code"), max_length=40, help_text=_("For example ENG 101.")
    )
    course_title = models.CharField(_("course or program title"), max_length=200)
    campus = models.ForeignKey(
        "teams.Campus",
        on_delete=models.PROTECT,
        related_name="course_mappings",
        verbose_name=_("campus"),
    )
    starts = models.CharField(
        _("first term"), max_length=40, help_text=_("For example Fall 2027.")
    )
    delivery = models.CharField(
        _("delivery"), max_length=20, choices=PARTICIPATION, default="in_person"
    )
    learners_per_year = models.PositiveIntegerField(
        _("expected learners per year"),
        default=0,
        validators=[MaxValueValidator(100_000)],
    )
    training = models.CharField(
        _("mapping training"),
        max_length=20,
        choices=Training.choices,
        default=Training.NONE,
        blank=True,
    )
    training_requested_at = models.DateTimeField(null=True, blank=True)
    training_on = models.DateField(_("training scheduled for"), null=True, blank=True)
    training_done_on = models.DateField(_("training held on"), null=True, blank=True)
    # Which submission staff are reviewing; comments are made on one.
    submission = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CourseMappingQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.course_code} {self.course_title}"

    def get_absolute_url(self) -> str:
        return reverse("courses:detail", args=[self.pk])

    def coverage_problems(self) -> list[str]:
        """What keeps the mapping from being submitted, in the coverage check's
        words."""
        from courses.coverage import findings_for

        return [finding.message for finding in findings_for(self)]

    def transition_choices(
        self, user
    ) -> tuple[list[Transition], list[tuple[Transition, list[str]]]]:
        """What this user may do from here: the transitions available now, and those
        blocked by an unmet condition with what is missing, so the page says so."""
        available, blocked = [], []
        for candidate in self.get_all_state_transitions():
            if candidate.source != self.state or not candidate.has_perm(self, user):
                continue
            checks = candidate.custom.get("checks")
            if problems := (getattr(self, checks)() if checks else []):
                blocked.append((candidate, problems))
            else:
                available.append(candidate)
        return available, blocked

    # The workflow. Each transition only changes fields; courses.services.perform
    # checks permission, saves, logs and notifies.

    @transition(
        field=state,
        source=[State.DRAFT, State.CHANGES_REQUESTED],
        target=State.SUBMITTED,
        conditions=[_covered],
        permission=permissions.instructor_only,
        custom={
            "label": _("Submit for review"),
            "help_text": _(
                "The office checks that each criterion is assessed, then approves "
                "the mapping or asks for changes. You cannot edit it meanwhile."
            ),
            "style": "primary",
            "checks": "coverage_problems",
        },
    )
    def submit(self, *, by, note: str = "") -> None:
        """The instructor submits a mapping whose coverage check passes."""
        self.submission += 1

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.CHANGES_REQUESTED,
        permission=permissions.staff_only,
        custom={
            "label": _("Request changes"),
            "help_text": _(
                "The instructor reads your note and the comments beside each "
                "criterion, changes the mapping and submits it again."
            ),
            "style": "warning",
            "note_required": True,
        },
    )
    def request_changes(self, *, by, note: str = "") -> None:
        """Staff send the mapping back, always saying what to change."""
        _require_note(note, _("Say what the instructor should change."))

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.APPROVED,
        permission=permissions.staff_only,
        custom={
            "label": _("Approve the mapping"),
            "help_text": _(
                "The course then shows on each badge's public page, in the catalog, "
                "the public PDF and the badge's Open Badges criteria."
            ),
            "style": "success",
        },
    )
    def approve(self, *, by, note: str = "") -> None:
        """Staff approve: the course awards the badges from its first term on."""

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.RETIRED,
        permission=permissions.staff_or_instructor,
        custom={
            "label": _("Retire the mapping"),
            "help_text": _(
                "The course no longer awards the badges: it disappears from the "
                "catalog and the exports; the history keeps it."
            ),
            "style": "outline-danger",
            "note_required": True,
        },
    )
    def retire(self, *, by, note: str = "") -> None:
        """Staff or the instructor retire an approved mapping, with a reason."""
        _require_note(note, _("Say why the course no longer awards the badges."))


class Assessment(models.Model):
    """How the mapped course assesses one criterion of one badge: the assignment or
    activity, how it is judged and the passing threshold."""

    mapping = models.ForeignKey(
        CourseMapping, on_delete=models.CASCADE, related_name="assessments"
    )
    badge = models.ForeignKey(
        "credentials.CatalogBadge", on_delete=models.CASCADE, related_name="+"
    )
    criterion = models.CharField(max_length=10)
    # The criterion as the badge stated it when mapped.
    criterion_text = models.TextField(max_length=2_000)
    assignment = models.CharField(_("assignment or activity"), max_length=200)
    method = models.CharField(
        _("assessed by"), max_length=20, choices=Method.choices, blank=True
    )
    how = models.TextField(_("rubric or evidence"), max_length=2_000, blank=True)
    threshold = models.CharField(_("passing threshold"), max_length=200, blank=True)

    class Meta:
        ordering = ["mapping", "badge", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["mapping", "badge", "criterion"], name="one_row_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} for {self.criterion} of badge {self.badge_id}"


class MappingStep(models.Model):
    """One step of a mapping's history: who moved it, when, from where to where,
    and why."""

    mapping = models.ForeignKey(
        CourseMapping, on_delete=models.CASCADE, related_name="steps"
    )
    # Empty for the step that records the mapping being started.
    transition = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=20, choices=State.choices, blank=True)
    target = models.CharField(max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(max_length=5_000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.mapping_id}: {self.source} → {self.target}"

    @property
    def label(self) -> str:
        meta = CourseMapping.transition_named(self.transition)
        return str(meta.custom["label"]) if meta else str(_("Mapping started"))


class MappingComment(AnchoredComment):
    """A staff comment on one criterion of one badge (`badge` is the catalog badge's
    id, `field` the criterion) or on the course details (no badge) of a submitted
    mapping; the instructor resolves it."""

    mapping = models.ForeignKey(
        CourseMapping, on_delete=models.CASCADE, related_name="comments"
    )
    submission = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"Comment on {self.field} of mapping {self.mapping_id}"

    @property
    def made_on(self) -> str:
        return _("on submission %(n)d") % {"n": self.submission}

    answered_by = ""
