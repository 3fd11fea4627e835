"""What a view fetches first: a proposal, or its team, that the user may read. Any
other is a 404, so that nothing leaks, not even that it exists. The views of every
workflow app and of the publishing side share these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from proposals.models import Proposal

if TYPE_CHECKING:
    from teams.models import Team


def get_proposal_for_user(request: HttpRequest, pk: int) -> Proposal:
    """A proposal whose record the user may read (policy.can_view_record)."""
    proposals = Proposal.objects.visible_to(request.user).select_related("campus")
    return get_object_or_404(proposals, pk=pk)


def get_team_for_user(request: HttpRequest, pk: int) -> tuple[Proposal, Team]:
    """The proposal and its team, if the user may see the proposal and it has a team."""
    proposal = get_proposal_for_user(request, pk)
    team = proposal.team_or_none()
    if team is None:
        raise Http404
    return proposal, team
