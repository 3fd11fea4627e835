"""Where a published badge may be earned, as told by the apps above the catalog.

The catalog pages, the public PDF and the Open Badges criteria narrative ask this
module; an app that knows of courses or programmes which award a badge registers a
source here from its AppConfig.ready(). The publication code imports none of those
apps, and shows nothing extra when none is installed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Offering:
    """One course or programme in which learners earn a badge."""

    code: str
    title: str
    campus: str
    term: str

    def __str__(self) -> str:
        return _("%(course)s, %(campus)s, from %(term)s") % {
            "course": f"{self.code} {self.title}".strip(),
            "campus": self.campus,
            "term": self.term,
        }


class OfferingSource(Protocol):
    def for_badges(self, badge_ids: Collection[int]) -> dict[int, list[Offering]]:
        """The offerings of each of these catalog badges (by id), in one query."""

    def for_credential(self, proposal_id: int) -> dict[int, list[Offering]]:
        """The offerings of every badge of one credential (by badge id)."""

    def places(self) -> list[tuple[str, str]]:
        """(value, label) of the campuses where some badge is offered."""

    def badges_offered_at(self, place: str):
        """A query of the ids of the catalog badges offered at `place`."""

    def stamp(self, proposal_id: int) -> str:
        """Changes whenever the credential's offerings change (for cache keys)."""


_sources: list[OfferingSource] = []


def register(source: OfferingSource) -> None:
    if source not in _sources:
        _sources.append(source)


def _merged(found: Iterable[dict[int, list[Offering]]]) -> dict[int, list[Offering]]:
    merged: dict[int, list[Offering]] = defaultdict(list)
    for offerings in found:
        for badge_id, items in offerings.items():
            merged[badge_id] += items
    return dict(merged)


def attach(badges: Iterable) -> list:
    """The catalog badges as a list, each with `.offerings`; one query per source."""
    badges = list(badges)
    found = _merged(s.for_badges([b.pk for b in badges]) for s in _sources)
    for badge in badges:
        badge.offerings = found.get(badge.pk, [])
    return badges


def offerings_of(badge) -> list[Offering]:
    """Where one catalog badge is earned."""
    return attach([badge])[0].offerings


def for_credential(proposal) -> list[tuple[str, list[Offering]]]:
    """(badge name, offerings) for each badge of a credential that has any."""
    found = _merged(s.for_credential(proposal.pk) for s in _sources)
    return [
        (badge.name, found[badge.pk])
        for badge in proposal.catalog_badges.order_by("position")
        if badge.pk in found
    ]


def places() -> list[tuple[str, str]]:
    return sorted({place for s in _sources for place in s.places()}, key=str)


def badges_offered_at(place: str) -> list:
    """Ids of the catalog badges offered at `place`, for a catalog filter."""
    return [pk for s in _sources for pk in s.badges_offered_at(place)]


def stamp(proposal_id: int) -> str:
    return ":".join(s.stamp(proposal_id) for s in _sources)
