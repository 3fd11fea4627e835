"""Rules that apps above awards add to awarding and revoking, registered from their
AppConfig.ready(); awards imports none of them (tests/test_imports.py).

A badge may have a path of its own (the development pathway's levels are awarded
from the pathway's page, which checks each person's record and evidence first): the
one issuing service refuses it from every other path, and the generic pages send
staff there. An award may rest on another (the macro-badge recognises holding the
three levels): revoking the one offers to revoke the other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class OwnPath:
    """Where a badge is awarded instead of the generic pages, and why."""

    source: str
    why: str
    url: str
    action: str


own_paths: list[Callable[[object], OwnPath | None]] = []
# The keys of the badges each path keeps to itself, as a query: the generic forms
# do not offer them.
own_path_badges: list[Callable[[], QuerySet]] = []
resting_on: list[Callable[[object], list]] = []


def own_path(badge) -> OwnPath | None:
    for rule in own_paths:
        if found := rule(badge):
            return found
    return None


def without_own_path(badges: QuerySet) -> QuerySet:
    """`badges` less those awarded on a path of their own."""
    for kept in own_path_badges:
        badges = badges.exclude(pk__in=kept())
    return badges


def awards_resting_on(award) -> list:
    """Unrevoked awards that recognise `award` and lose their ground with it."""
    return [found for rule in resting_on for found in rule(award)]
