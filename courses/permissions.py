"""Who may fire each transition of a course mapping. The same functions feed the FSM
`permission=` arguments, the views and the buttons, so they always agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_mc_staff

if TYPE_CHECKING:
    from courses.models import CourseMapping


def is_instructor(mapping: CourseMapping, user) -> bool:
    return user.is_authenticated and mapping.instructor_id == user.pk


def instructor_only(mapping: CourseMapping, user) -> bool:
    return is_instructor(mapping, user)


def staff_only(mapping: CourseMapping, user) -> bool:
    return is_mc_staff(user)


def staff_or_instructor(mapping: CourseMapping, user) -> bool:
    return is_mc_staff(user) or is_instructor(mapping, user)


def may_edit(mapping: CourseMapping, user) -> bool:
    return is_instructor(mapping, user)


def may_comment(mapping: CourseMapping, user) -> bool:
    return is_mc_staff(user)


def may_resolve(mapping: CourseMapping, user) -> bool:
    return is_instructor(mapping, user)


def may_award(mapping: CourseMapping, user) -> bool:
    """The instructor awards the mapped badges to their learners (issue 16)."""
    return is_instructor(mapping, user)
