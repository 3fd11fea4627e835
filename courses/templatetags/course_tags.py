"""The course-mapping panel of the dashboard: proposals' dashboard template loads it,
so the workflow's code never imports this app."""

from django import template

from accounts.permissions import is_mc_staff
from courses.models import CourseMapping, State

register = template.Library()


@register.inclusion_tag("courses/_dashboard.html")
def course_mapping_panel(user) -> dict:
    mine = CourseMapping.objects.filter(instructor=user).for_list()[:5]
    context = {"mine": mine, "staff": False}
    if is_mc_staff(user):
        context |= {
            "staff": True,
            "waiting": CourseMapping.objects.filter(state=State.SUBMITTED).count(),
            "mapped": CourseMapping.objects.mapped_counts()[:20],
            "training": CourseMapping.objects.training_requests()
            .filter(training_done_on=None)
            .count(),
        }
    return context
