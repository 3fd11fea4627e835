"""What each state of a course mapping still lets people change, after the design's
"What each state freezes": one table that every service asks under the mapping's
row lock. The transitions themselves are decided by their sources."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.models import CourseMapping, State


class Action(models.TextChoices):
    EDIT = "edit", _("change the course details or the assignments")
    COMMENT = "comment", _("comment on the submitted mapping")
    RESOLVE = "resolve", _("resolve the office's comments")
    TRAINING = "training", _("change the training request")


ALLOWED: dict[str, frozenset[Action]] = {
    State.DRAFT: frozenset({Action.EDIT, Action.TRAINING}),
    State.SUBMITTED: frozenset({Action.COMMENT, Action.TRAINING}),
    State.CHANGES_REQUESTED: frozenset({Action.EDIT, Action.RESOLVE, Action.TRAINING}),
    # Learners are earning the badges through this exact mapping.
    State.APPROVED: frozenset({Action.TRAINING}),
    State.RETIRED: frozenset(),
}

REASONS = {
    State.SUBMITTED: _("the office is reviewing it"),
    State.APPROVED: _("learners earn the badges through the approved mapping"),
    State.RETIRED: _("its record is closed"),
}


def allows(state: str, action: Action) -> bool:
    return action in ALLOWED[state]


def refusal(state: str, action: Action) -> str:
    message = gettext("You cannot %(action)s while the mapping is “%(state)s”") % {
        "action": Action(action).label,
        "state": State(state).label,
    }
    reason = REASONS.get(state)
    return f"{message}: {reason}." if reason else f"{message}."


def ensure(mapping: CourseMapping, action: Action) -> None:
    """Refuse (ValidationError with the reason) what the mapping's state freezes."""
    if not allows(mapping.state, action):
        raise ValidationError(refusal(mapping.state, action), code="frozen")


def locked(mapping: CourseMapping) -> CourseMapping:
    """The mapping re-read with its row locked until the transaction ends."""
    return CourseMapping.objects.select_for_update().get(pk=mapping.pk)
