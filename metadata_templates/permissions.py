"""Who may do what with the meta-data template. Reading follows the proposal's own
visibility (outsiders get 404); editing is for the team and staff while drafting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_mc_staff
from metadata_templates.models import Attachment
from proposals.freezes import Action, allows
from proposals.policy import is_member, is_proposer

if TYPE_CHECKING:
    from metadata_templates.models import ReviewComment
    from proposals.models import Proposal


def may_edit(proposal: Proposal, user) -> bool:
    """Team members and staff edit the draft, and only while it is being drafted."""
    return team_or_staff(proposal, user) and allows(proposal.state, Action.TEMPLATE)


def may_change_artwork(proposal: Proposal, user) -> bool:
    """Badge images are the team's and staff's while drafting, and until the
    credential is published."""
    return team_or_staff(proposal, user) and allows(proposal.state, Action.ARTWORK)


def may_handle_attachments(proposal: Proposal, user) -> bool:
    """Whose attachments they are: the team's and staff's, and the proposer's until
    the proposal is accepted and a team takes over (what may change also depends on
    the state: attachment_targets)."""
    return team_or_staff(proposal, user) or (
        is_proposer(proposal, user) and allows(proposal.state, Action.INTEREST_FORM)
    )


def attachment_targets(proposal: Proposal, user) -> list[str]:
    """Where the user may add or remove attachments now: the proposal while its
    record is open, the working draft while the template may change."""
    if not may_handle_attachments(proposal, user):
        return []
    targets = []
    if allows(proposal.state, Action.ATTACH):
        targets.append(Attachment.Target.PROPOSAL)
    if may_edit(proposal, user):
        targets.append(Attachment.Target.DRAFT)
    return targets


def may_comment(proposal: Proposal, user) -> bool:
    """Staff comment on the submitted draft while they review it."""
    return is_mc_staff(user) and allows(proposal.state, Action.COMMENT)


def may_resolve(proposal: Proposal, user) -> bool:
    """The team answers a comment by resolving it (or staff, satisfied); both may
    reply to it. While drafting and under review only."""
    return team_or_staff(proposal, user) and allows(proposal.state, Action.RESOLVE)


def may_reopen(proposal: Proposal, comment: ReviewComment, user) -> bool:
    """Staff judge whether an answer suffices, so they reopen any resolved comment;
    whoever resolved it may reopen it too, to undo a mistaken click."""
    return may_resolve(proposal, user) and (
        is_mc_staff(user) or comment.resolved_by_id == user.pk
    )


def team_or_staff(proposal: Proposal, user) -> bool:
    """Whose template it is: the team's members and staff (what they may do with it
    depends on the state too)."""
    return is_mc_staff(user) or is_member(proposal, user)
