"""The mapping lookup every mapping view starts with (apart from permissions.py,
which models.py imports, so that no import runs in a circle)."""

from django.shortcuts import get_object_or_404

from courses.models import CourseMapping


def get_mapping_for_user(request, pk: int) -> CourseMapping:
    """A mapping whose record the user may read (courses.policy); any other is a
    404, so nothing leaks, not even that it exists."""
    mappings = CourseMapping.objects.visible_to(request.user).select_related(
        "campus", "instructor"
    )
    return get_object_or_404(mappings, pk=pk)
