"""Workflow actions. Every change of a proposal's state, from the web, the admin or a
command, goes through `perform`, so each is checked, logged and notified alike."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import TransitionNotAllowed, can_proceed

from metadata_templates.services import freeze, start_template
from proposals import notifications
from proposals.models import Proposal, State, TransitionLog
from teams.services import form_team

# What a transition sets up beyond the proposal itself, in the same transaction.
EFFECTS = {
    "accept": lambda proposal, user: form_team(proposal),
    "start_development": start_template,
    "submit_draft": freeze,
}


class UnknownTransition(LookupError):
    """No workflow transition has that name."""


class StaleProposal(TransitionNotAllowed):
    """The proposal moved on since the user looked at it; nothing was changed."""


def perform(
    proposal: Proposal,
    name: str,
    *,
    user,
    note: str = "",
    expected_state: str | None = None,
) -> TransitionLog:
    """Fire transition `name` for `user`: check permission, transition, save, log the
    step and notify the people it concerns once the transaction has committed.

    `expected_state` is the state the user saw when they chose the action; if the
    proposal has moved on since, nothing happens (StaleProposal), because the user
    decided on something that is no longer there.

    Raises UnknownTransition, PermissionDenied, StaleProposal, TransitionNotAllowed,
    ValidationError (a required note is missing) or django_fsm.ConcurrentTransition
    (another request changed the state between our read and our write).
    """
    meta = Proposal.transition_named(name)
    if meta is None:
        raise UnknownTransition(name)
    if not meta.has_perm(proposal, user):
        raise PermissionDenied
    if expected_state is not None and proposal.state != expected_state:
        raise StaleProposal(name)
    method = getattr(proposal, name)
    if not can_proceed(method):
        raise TransitionNotAllowed(name)
    note = note.strip()
    with transaction.atomic():
        source = proposal.state
        method(by=user, note=note)
        proposal.save()
        if name in EFFECTS:
            EFFECTS[name](proposal, user)
        entry = TransitionLog.objects.create(
            proposal=proposal,
            transition=name,
            source=source,
            target=proposal.state,
            actor=user,
            note=note,
        )
        notifications.announce(entry)
    return entry


def submit_interest_form(proposal: Proposal, *, user) -> TransitionLog:
    """Save a new interest form, record its arrival and tell the office."""
    with transaction.atomic():
        proposal.proposer = user
        proposal.save()
        entry = TransitionLog.objects.create(
            proposal=proposal, source="", target=State.SUBMITTED, actor=user
        )
        notifications.announce(entry)
    return entry
