"""Firing a named transition of a workflow object (a proposal, a course mapping):
the one path every change of state takes. The permission, the staleness check and
the conditions are checked under the object's row lock, which every edit of it takes
too, so nothing slips in between the check and the change; the caller then saves,
sets up what the step opens and logs it, in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import TransitionNotAllowed, can_proceed


class UnknownTransition(LookupError):
    """No transition of the object has that name."""


class Stale(TransitionNotAllowed):
    """The object moved on since the user looked at it; nothing was changed."""


class NotAvailable(TransitionNotAllowed):
    """The transition does not start from the object's state."""


class ConditionsUnmet(TransitionNotAllowed):
    """A condition of the transition does not hold; `problems` say which, in the
    words of the object's page."""

    def __init__(self, name: str, problems: list[str]) -> None:
        super().__init__(name)
        self.problems = problems


def fire(
    subject,
    name: str,
    *,
    user,
    note: str = "",
    expected_state: str | None = None,
    stale: type[Stale] = Stale,
    before: Callable[[], None] | None = None,
    record: Callable[[str, str], Any],
) -> Any:
    """Fire transition `name` of `subject` (a NamedTransitionsMixin model whose
    transitions take `by` and `note`) for `user`, and return what `record(source,
    note)` returns: the caller's save, effects and log entry of the step.

    `expected_state` is the state the user saw when they chose the action: if the
    object has moved on since, `stale` is raised and nothing happens, because the
    user decided on something no longer there. `before` adds the caller's own
    checks under the lock. Raises UnknownTransition, PermissionDenied, Stale,
    NotAvailable, ConditionsUnmet, ValidationError (a required note is missing) or
    django_fsm.ConcurrentTransition (another request changed the state between our
    read and our write)."""
    meta = type(subject).transition_named(name)
    if meta is None:
        raise UnknownTransition(name)
    if not meta.has_perm(subject, user):
        raise PermissionDenied
    note = note.strip()
    with transaction.atomic():
        stored = type(subject)._default_manager.select_for_update().get(pk=subject.pk)
        if stored.state != subject.state or expected_state not in (None, stored.state):
            raise stale(name)
        if before:
            before()
        method = getattr(subject, name)
        if not can_proceed(method, check_conditions=False):
            raise NotAvailable(name)
        checks = meta.custom.get("checks")
        if checks and (problems := getattr(subject, checks)()):
            raise ConditionsUnmet(name, problems)
        if not can_proceed(method):
            raise NotAvailable(name)
        source = subject.state
        method(by=user, note=note)
        return record(source, note)
