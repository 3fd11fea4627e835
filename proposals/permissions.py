"""Who may see a proposal and who may fire each transition. The same functions feed the
FSM `permission=` arguments, the views and the buttons, so they always agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from accounts.permissions import is_chair, is_committee_member, is_mc_staff
from teams.permissions import is_lead, is_member

if TYPE_CHECKING:
    from proposals.models import Proposal


def is_proposer(proposal: Proposal, user) -> bool:
    return user.is_authenticated and proposal.proposer_id == user.pk


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


def sees_internal_record(proposal: Proposal, user) -> bool:
    """Meeting notes, review comments and workflow notes: for the office, the
    committee, the proposer and the team; others who may open a published proposal
    get what the public gets."""
    return (
        is_mc_staff(user)
        or is_committee_member(user)
        or is_proposer(proposal, user)
        or is_member(proposal, user)
    )


def get_proposal_for_user(request: HttpRequest, pk: int) -> Proposal:
    """A proposal the user may see; any other is a 404 so that nothing leaks."""
    from proposals.models import Proposal

    proposals = Proposal.objects.visible_to(request.user).select_related("campus")
    return get_object_or_404(proposals, pk=pk)
