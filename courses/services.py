"""Course mapping actions. Every change of a mapping's state goes through `perform`
(permission, transition, save, timeline step, notifications after the commit), and
every other change asks courses.freezes under the mapping's row lock."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from accounts.mail import send_quietly
from accounts.permissions import STAFF_GROUP
from config.middleware import absolute_url
from courses import freezes, policy
from courses.freezes import Action
from courses.models import (
    Assessment,
    CourseMapping,
    MappingComment,
    MappingStep,
    State,
    Training,
)
from proposals import meanwhile
from proposals.models import Notification
from proposals.transitions import ConditionsUnmet, Stale, fire

User = get_user_model()

INSTRUCTOR, STAFF = "instructor", "staff"
AUDIENCES = {
    "": (),
    "submit": (STAFF,),
    "request_changes": (INSTRUCTOR,),
    "approve": (INSTRUCTOR,),
    "retire": (INSTRUCTOR, STAFF),
}


class StaleMapping(Stale):
    """The mapping moved on since the user looked at it; nothing was changed."""


def perform(
    mapping: CourseMapping,
    name: str,
    *,
    user,
    note: str = "",
    expected_state: str | None = None,
) -> MappingStep:
    """Fire transition `name` for `user`, as `proposals.transitions.fire` does
    (StaleMapping for staleness); the step is logged on the mapping's timeline and
    announced after the commit."""

    def record(source: str, note: str) -> MappingStep:
        mapping.updated_at = timezone.now()
        mapping.save()
        step = MappingStep.objects.create(
            mapping=mapping,
            transition=name,
            source=source,
            target=mapping.state,
            actor=user,
            note=note,
        )
        announce(step)
        return step

    return fire(
        mapping,
        name,
        user=user,
        note=note,
        expected_state=expected_state,
        stale=StaleMapping,
        record=record,
    )


def refusal(error: TransitionNotAllowed, name: str, mapping: CourseMapping) -> str:
    """Why transition `name` did not happen, for the person who asked."""
    meta = CourseMapping.transition_named(name)
    action = meta.custom["label"] if meta else name
    state = CourseMapping.objects.get(pk=mapping.pk).get_state_display()
    if isinstance(error, ConditionsUnmet):
        return _("Nothing was changed: “%(action)s” needs this first: %(problems)s") % {
            "action": action,
            "problems": " ".join(error.problems),
        }
    return _(
        "Nothing was changed: “%(action)s” is not available while the mapping is "
        "“%(state)s”. Check the timeline and try again."
    ) % {"action": action, "state": state}


def start(mapping: CourseMapping, *, user, badges, rows: dict) -> CourseMapping:
    """Save a new mapping as a draft of `user`'s, with its first timeline step."""
    with transaction.atomic():
        mapping.instructor = user
        if mapping.training == Training.REQUESTED:
            mapping.training_requested_at = timezone.now()
        mapping.save()
        mapping.badges.set(badges)
        _write_rows(mapping, badges, rows)
        step = MappingStep.objects.create(
            mapping=mapping, source="", target=State.DRAFT, actor=user
        )
        announce(step)
    return mapping


def save(
    mapping: CourseMapping, *, user, badges, rows: dict, form=None
) -> CourseMapping:
    """Save the instructor's changes (a valid MappingForm's instance, badges and
    assessment rows) while the state lets them edit. Given the `form`, a page older
    than the record is merged first (meanwhile.check)."""
    with transaction.atomic():
        current = freezes.locked(mapping)
        freezes.ensure(current, Action.EDIT)
        if form is not None:
            meanwhile.check(form, current)
        if mapping.training == Training.REQUESTED and current.training == Training.NONE:
            mapping.training_requested_at = timezone.now()
        mapping.updated_at = timezone.now()
        # The state is the stored one: the form never carries it.
        mapping.save()
        mapping.badges.set(badges)
        _write_rows(mapping, badges, rows)
    return mapping


def _write_rows(mapping: CourseMapping, badges, rows: dict) -> None:
    from courses.coverage import criteria_of

    mapping.assessments.all().delete()
    Assessment.objects.bulk_create(
        Assessment(
            mapping=mapping,
            badge=badge,
            criterion=criterion.key,
            criterion_text=criterion.text,
            **rows[(badge.pk, criterion.key)],
        )
        for badge in badges
        for criterion in criteria_of(badge)
        if any(rows.get((badge.pk, criterion.key), {}).values())
    )


def add_comment(form, mapping: CourseMapping, user) -> MappingComment:
    """Save a staff comment (a valid MappingCommentForm) on the submitted mapping."""
    with transaction.atomic():
        current = freezes.locked(mapping)
        freezes.ensure(current, Action.COMMENT)
        form.instance.mapping = current
        form.instance.submission = current.submission
        form.instance.author = user
        return form.save()


def resolve_comment(comment: MappingComment, user) -> None:
    with transaction.atomic():
        freezes.ensure(freezes.locked(comment.mapping), Action.RESOLVE)
        MappingComment.objects.filter(pk=comment.pk).resolve(user)


def set_training(mapping: CourseMapping, *, status: str, on=None, user=None) -> None:
    """Staff record where the instructor's training request stands: scheduled for
    a date, or done on one."""
    with transaction.atomic():
        current = freezes.locked(mapping)
        freezes.ensure(current, Action.TRAINING)
        if status == Training.SCHEDULED:
            current.training_on = on
            current.training_done_on = None
        elif status == Training.DONE:
            current.training_done_on = on
        current.training = status
        CourseMapping.objects.filter(pk=current.pk).update(
            training=status,
            training_on=current.training_on,
            training_done_on=current.training_done_on,
        )


def recipients(step: MappingStep) -> list:
    """Active users concerned by this step and allowed to read the record, without
    the person who took it."""
    mapping = step.mapping
    audiences = AUDIENCES.get(step.transition, ())
    people = Q(pk__in=[])
    if STAFF in audiences:
        people |= Q(groups__name=STAFF_GROUP)
    if INSTRUCTOR in audiences:
        people |= Q(pk=mapping.instructor_id)
    return list(
        User.objects.filter(people, is_active=True)
        .filter(policy.record_readers(mapping))
        .exclude(pk=step.actor_id)
        .distinct()
        .order_by("pk")
    )


def announce(step: MappingStep) -> None:
    """In-app notifications now, emails once the transaction has committed."""
    mapping = step.mapping
    people = recipients(step)
    badge = mapping.badges.order_by("pk").first()
    if not people or badge is None:
        return
    message = _("Course mapping %(course)s: %(step)s (now %(state)s)") % {
        "course": str(mapping)[:120],
        "step": step.label,
        "state": step.get_target_display().lower(),
    }
    url = mapping.get_absolute_url()
    Notification.objects.bulk_create(
        Notification(
            recipient=person,
            proposal_id=badge.proposal_id,
            message=message[:300],
            link=url,
        )
        for person in people
    )
    body = render_to_string(
        "emails/course_mapping.txt",
        {
            "step": step,
            "mapping": mapping,
            "url": absolute_url(url),
            "office_email": settings.OFFICE_EMAIL,
        },
    )
    addresses = [person.email for person in people if person.email]
    if addresses:
        transaction.on_commit(lambda: send_quietly(message, body, addresses))
