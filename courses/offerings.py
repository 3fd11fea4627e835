"""The catalog hook's source (credentials.catalog_hooks): approved mappings are where
a published badge may be earned. Retired ones drop out; their history stays."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max

from courses.models import CourseMapping, State
from credentials.catalog_hooks import Offering
from proposals.models import State as ProposalState

# One row per (mapping, badge).
Link = CourseMapping.badges.through


def _offerings(links) -> dict[int, list[Offering]]:
    found: dict[int, list[Offering]] = defaultdict(list)
    rows = (
        links.filter(coursemapping__state=State.APPROVED)
        .order_by("coursemapping__course_code", "coursemapping_id")
        .values_list(
            "catalogbadge_id",
            "coursemapping__course_code",
            "coursemapping__course_title",
            "coursemapping__campus__name",
            "coursemapping__starts",
        )
    )
    for badge_id, code, title, campus, starts in rows:
        found[badge_id].append(Offering(code, title, campus, starts))
    return dict(found)


class MappedCourses:
    def for_badges(self, badge_ids) -> dict[int, list[Offering]]:
        if not badge_ids:
            return {}
        return _offerings(Link.objects.filter(catalogbadge_id__in=badge_ids))

    def for_credential(self, proposal_id: int) -> dict[int, list[Offering]]:
        return _offerings(Link.objects.filter(catalogbadge__proposal_id=proposal_id))

    def places(self) -> list[tuple[str, str]]:
        # Only campuses where a badge the catalog lists is earned: a retired
        # credential's mappings would offer a choice that finds nothing. Labelled
        # short name first: every campus's name starts "University of Maine".
        found = (
            CourseMapping.objects.approved()
            .filter(badges__proposal__state=ProposalState.PUBLISHED)
            .order_by("campus__position", "campus__name")
            .values_list("campus__short_name", "campus__name")
            .distinct()
        )
        return [(short, f"{short} · {name}") for short, name in found]

    def badges_offered_at(self, place: str):
        return Link.objects.filter(
            coursemapping__state=State.APPROVED,
            coursemapping__campus__short_name=place,
        ).values_list("catalogbadge_id", flat=True)

    def stamp(self, proposal_id: int) -> str:
        changed = Link.objects.filter(
            catalogbadge__proposal_id=proposal_id,
            coursemapping__state__in=[State.APPROVED, State.RETIRED],
        ).aggregate(last=Max("coursemapping__updated_at"))["last"]
        return changed.isoformat() if changed else ""
