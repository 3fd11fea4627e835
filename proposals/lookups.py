"""What a view fetches first: a proposal, or its team, that the user may read. Any
other is a 404, so that nothing leaks, not even that it exists. The views of every
workflow app and of the publishing side share these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from proposals import policy
from proposals.models import Proposal

if TYPE_CHECKING:
    from teams.models import Team


def get_proposal_for_user(
    request: HttpRequest, pk: int, proposals: QuerySet | None = None
) -> Proposal:
    """A proposal whose record the user may read (policy.can_view_record), from
    `proposals` (a page's own columns) or all of them."""
    # Read by its key with the user's part in its team, then asked of the policy:
    # the same answer as filtering by Proposal.objects.visible_to, for less of the
    # ORM's time, and the user's part is what the page asks next.
    user = request.user
    if proposals is None:
        proposals = Proposal.objects.all()
    proposals = proposals.select_related("campus")
    if user.is_authenticated:
        proposals = proposals.annotate(viewer_role=policy.team_role_column(user))
    try:
        proposal = proposals.get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    policy.remember_team_role(proposal, user, getattr(proposal, "viewer_role", None))
    if not policy.can_view_record(proposal, user):
        raise Http404
    return proposal


def get_team_for_user(request: HttpRequest, pk: int) -> tuple[Proposal, Team]:
    """The proposal and its team, if the user may see the proposal and it has a team."""
    proposal = get_proposal_for_user(request, pk)
    team = proposal.team_or_none()
    if team is None:
        raise Http404
    return proposal, team
