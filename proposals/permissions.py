"""Who may fire each transition. The same functions feed the FSM `permission=`
arguments, the views and the buttons, so they always agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_chair, is_mc_staff
from proposals.policy import is_lead, is_member, is_proposer

if TYPE_CHECKING:
    from proposals.models import Proposal


def staff_only(proposal: Proposal, user) -> bool:
    return is_mc_staff(user)


def chair_only(proposal: Proposal, user) -> bool:
    return is_chair(user)


def staff_or_proposer(proposal: Proposal, user) -> bool:
    return is_mc_staff(user) or is_proposer(proposal, user)


def development_team(proposal: Proposal, user) -> bool:
    """Members of the proposal's development team."""
    return is_member(proposal, user)


def staff_or_lead(proposal: Proposal, user) -> bool:
    return is_mc_staff(user) or is_lead(proposal, user)
