"""What each state of a proposal still lets people change (the design's "What each
state freezes"). Every service that changes part of a proposal's record asks `ensure`
first, so one table decides, and a refusal always names the state and the reason.
The workflow transitions themselves are not in the table: their sources decide them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from proposals.models import TERMINAL_STATES, Proposal, State


class Action(models.TextChoices):
    INTEREST_FORM = "interest_form", _("edit the interest form")
    TEAM = "team", _("change the team's membership or invite people")
    CALLS = "calls", _("seek collaborators")
    RECORD = "record", _("add to the meeting log or employer input")
    TEMPLATE = "template", _("change the meta-data template")
    COMMENT = "comment", _("comment on the submitted draft")
    RESOLVE = "resolve", _("resolve, reopen or reply to review comments")
    COMMITTEE = "committee", _("vote, recuse or discuss in the voting round")
    ARTWORK = "artwork", _("change the badge images")
    LAUNCH = "launch", _("work on the launch checklist")
    ATTACH = "attach", _("add or remove the proposal's attachments")


# Letters of support and employer letters are evidence like employer input, so the
# proposal's attachments change while the record does (the working draft's
# attachments change with the template).
_FORMING = {Action.TEAM, Action.CALLS, Action.RECORD, Action.ATTACH}

ALLOWED: dict[str, frozenset[Action]] = {
    State.SUBMITTED: frozenset({Action.INTEREST_FORM, Action.ATTACH}),
    State.IN_TRIAGE: frozenset({Action.INTEREST_FORM, Action.ATTACH}),
    State.TEAM_FORMING: frozenset(_FORMING),
    State.DRAFTING: frozenset(
        _FORMING | {Action.TEMPLATE, Action.ARTWORK, Action.RESOLVE}
    ),
    State.UNDER_REVIEW: frozenset(
        {Action.TEAM, Action.RECORD, Action.ATTACH, Action.COMMENT, Action.RESOLVE}
    ),
    # Recusal depends on who is on the team, so the team is fixed while votes count.
    State.COMMITTEE_REVIEW: frozenset({Action.COMMITTEE, Action.RECORD, Action.ATTACH}),
    State.APPROVED: frozenset({Action.ARTWORK, Action.LAUNCH}),
    State.PUBLISHED: frozenset(),
    State.RETIRED: frozenset(),
    State.DECLINED: frozenset(),
    State.REJECTED: frozenset(),
    State.WITHDRAWN: frozenset(),
}

# Why a state refuses what it refuses, in the words the refusal message uses.
REASONS = {
    State.UNDER_REVIEW: _("the office is reviewing the submitted draft"),
    State.COMMITTEE_REVIEW: _(
        "the Steering Committee is voting, and who may vote depends on the team"
    ),
    State.APPROVED: _("the committee approved this exact text"),
    State.PUBLISHED: _("the credential is published as approved"),
}


def allows(state: str, action: Action) -> bool:
    """Whether a proposal in `state` may still have `action` done to it."""
    return action in ALLOWED[state]


def states_allowing(action: Action) -> list[str]:
    """The states in which `action` may still be done, for queries."""
    return [state for state, allowed in ALLOWED.items() if action in allowed]


def refusal(state: str, action: Action) -> str:
    """The message that tells someone why `action` is refused in `state`."""
    label = State(state).label
    message = gettext("You cannot %(action)s while the proposal is “%(state)s”") % {
        "action": Action(action).label,
        "state": label,
    }
    reason = REASONS.get(state)
    if reason is None and state in TERMINAL_STATES:
        reason = _("its record is closed")
    return f"{message}: {reason}." if reason else f"{message}."


def ensure(proposal: Proposal, action: Action) -> None:
    """Refuse (ValidationError with the reason) what the proposal's state freezes.
    Callers that change rows pass a proposal read under a row lock, so the state
    cannot move between this check and their write."""
    if not allows(proposal.state, action):
        raise ValidationError(refusal(proposal.state, action), code="frozen")


def locked(proposal: Proposal) -> Proposal:
    """The proposal re-read with its row locked until the transaction ends
    (PostgreSQL; SQLite serialises writers anyway), so a check against its state
    holds until the caller's write commits."""
    return Proposal.objects.select_for_update().get(pk=proposal.pk)
