"""Who may fire each transition of a course mapping. The same functions feed the FSM
`permission=` arguments, the views and the buttons, so they always agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

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


def get_mapping_for_user(request, pk: int) -> CourseMapping:
    """A mapping whose record the user may read (courses.policy); any other is a
    404, so nothing leaks, not even that it exists."""
    from courses.models import CourseMapping

    mappings = CourseMapping.objects.visible_to(request.user).select_related(
        "campus", "instructor"
    )
    return get_object_or_404(mappings, pk=pk)


def may_edit(mapping: CourseMapping, user) -> bool:
    return is_instructor(mapping, user)


def may_comment(mapping: CourseMapping, user) -> bool:
    return is_mc_staff(user)


def may_resolve(mapping: CourseMapping, user) -> bool:
    return is_instructor(mapping, user)
