"""Who may do what with a development team. Outsiders never learn a team exists (404);
a signed-in user who may see the team but not change it gets 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_mc_staff
from teams.models import Membership, Role

if TYPE_CHECKING:
    from proposals.models import Proposal


def membership_of(proposal: Proposal, user) -> Membership | None:
    """The user's membership of the proposal's team, read once per proposal object."""
    if not user.is_authenticated:
        return None
    cache = proposal.__dict__.setdefault("_membership_cache", {})
    if user.pk not in cache:
        cache[user.pk] = (
            Membership.objects.filter(team__proposal=proposal, user=user)
            .only("role", "team_id")
            .first()
        )
    return cache[user.pk]


def is_member(proposal: Proposal, user) -> bool:
    return membership_of(proposal, user) is not None


def is_lead(proposal: Proposal, user) -> bool:
    membership = membership_of(proposal, user)
    return membership is not None and membership.role == Role.LEAD


def can_manage_team(proposal: Proposal, user) -> bool:
    """Staff and the team lead change the membership."""
    return is_mc_staff(user) or is_lead(proposal, user)


def can_keep_record(proposal: Proposal, user) -> bool:
    """Members (and staff) keep the meeting log and the employer input."""
    return is_mc_staff(user) or is_member(proposal, user)
