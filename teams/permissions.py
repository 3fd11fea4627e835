"""Who may do what with a development team. Outsiders never learn a team exists (404);
a signed-in user who may see the team but not change it gets 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_mc_staff
from proposals.policy import is_lead, is_member

if TYPE_CHECKING:
    from proposals.models import Proposal


def can_manage_team(proposal: Proposal, user) -> bool:
    """Staff and the team lead change the membership."""
    return is_mc_staff(user) or is_lead(proposal, user)


def can_keep_record(proposal: Proposal, user) -> bool:
    """Members (and staff) keep the meeting log and the employer input."""
    return is_mc_staff(user) or is_member(proposal, user)
