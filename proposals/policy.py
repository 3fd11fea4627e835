"""Who sees what (DESIGN.md, "Who sees what"): the one policy that every view, export,
PDF, email and notification asks. It reads only the roles (accounts) and the team's
memberships (through the user's and the proposal's relations: teams/ sits above
proposals/), so every app above imports it without a circle. Who is on the team is
answered here alone, for the transitions' permissions and for every app.

* anyone: the public catalog, exports and public PDF, made of the approved draft's
  learner- and employer-facing fields (PUBLIC_CREDENTIAL_FIELDS, PUBLIC_BADGE_FIELDS);
* signed in, no part in the proposal: the above, plus a duplicate-effort card;
* the proposer and the team: the proposal's whole record, individual votes only once
  the round closes;
* staff and the Steering Committee: every record; individual votes while a round is
  open only for staff and the chair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import CharField, Q, QuerySet
from django.db.models.expressions import RawSQL

from accounts.columns import PARAMETER, column, outer_key
from accounts.permissions import (
    is_chair,
    is_committee_member,
    is_mc_staff,
    office_and_committee,
)

if TYPE_CHECKING:
    from approvals.models import VotingRound
    from proposals.models import Proposal

# A team's lead (teams.models.Role.LEAD; teams/ sits above proposals/).
LEAD = "lead"
# The approved draft's fields written for learners and employers. Left out: who the
# employer partners are and what they said, the communication plan and the marketing
# notes, which are the team's working record.
PUBLIC_CREDENTIAL_FIELDS = frozenset(
    {
        "title",
        "summary",
        "pathway_type",
        "category",
        "lead_campus",
        "participating_campuses",
        "target_audience",
        "industry_alignment",
        "credit_options",
        "quality_assurance",
        "keywords",
        "language",
        "issuing_option",
    }
)
PUBLIC_BADGE_FIELDS = frozenset(
    {
        "name",
        "level",
        "description",
        "criteria",
        "competencies",
        "activities",
        "courses",
        "evidence_kinds",
        "evidence",
        "assessment",
        "passing_threshold",
        "feedback",
        "hours",
        "participation",
        "alignments",
        "prerequisites",
    }
)


def public_content(content: dict) -> dict:
    """The part of a draft's content that anyone may read: the public fields of the
    credential and of each badge (with the badge's key, its address), nothing else,
    whatever else a draft holds."""
    return {
        "credential": {
            key: value
            for key, value in content.get("credential", {}).items()
            if key in PUBLIC_CREDENTIAL_FIELDS
        },
        "badges": [
            {
                "key": badge.get("key", ""),
                **{k: v for k, v in badge.items() if k in PUBLIC_BADGE_FIELDS},
            }
            for badge in content.get("badges", [])
        ],
    }


def is_proposer(proposal: Proposal, user) -> bool:
    return user.is_authenticated and proposal.proposer_id == user.pk


def team_role(proposal: Proposal, user) -> str | None:
    """The user's role on the proposal's team, None when not on it; read once per
    proposal object (get_proposal_for_user reads it with the proposal)."""
    if not user.is_authenticated:
        return None
    roles = proposal.__dict__.setdefault("_team_roles", {})
    if user.pk not in roles:
        roles[user.pk] = (
            user.memberships.filter(team__proposal=proposal)
            .values_list("role", flat=True)
            .first()
        )
    return roles[user.pk]


def team_role_column(user) -> RawSQL:
    """team_role as a column of a proposals query; remember_team_role hands each
    row's value to the policy."""
    return column(_team_role_of_viewer, user.pk, output_field=CharField())


def _team_role_of_viewer() -> QuerySet:
    memberships = get_user_model()._meta.get_field("memberships").related_model
    proposal = outer_key(apps.get_model("proposals", "Proposal"))
    return (
        memberships.objects.filter(team__proposal=proposal, user=PARAMETER)
        .order_by()
        .values("role")[:1]
    )


def remember_team_role(proposal: Proposal, user, role: str | None) -> None:
    if user.is_authenticated:
        proposal.__dict__.setdefault("_team_roles", {})[user.pk] = role


def is_member(proposal: Proposal, user) -> bool:
    return team_role(proposal, user) is not None


def is_lead(proposal: Proposal, user) -> bool:
    return team_role(proposal, user) == LEAD


def can_view_record(proposal: Proposal, user) -> bool:
    """The proposal's internal record (its page, team, drafts, reviews, office PDF):
    staff, the committee, the proposer and the team; nobody else."""
    return user.is_authenticated and (
        is_mc_staff(user)
        or is_committee_member(user)
        or is_proposer(proposal, user)
        or is_member(proposal, user)
    )


def records_visible_to(user) -> Q:
    """A filter on proposals for the records `user` may open (can_view_record, for a
    whole queryset at once)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_mc_staff(user) or is_committee_member(user):
        return Q()
    teams = user.memberships.values("team__proposal_id")
    return Q(proposer=user) | Q(pk__in=teams)


def record_readers(proposal: Proposal) -> Q:
    """A filter on users for everyone who may read `proposal`'s record: whom an email
    or a notification about it may tell."""
    team = get_user_model().objects.filter(memberships__team__proposal=proposal.pk)
    return (
        office_and_committee()
        | Q(pk=proposal.proposer_id)
        | Q(pk__in=team.values("pk"))
    )


def can_see_votes(round_: VotingRound, user) -> bool:
    """Who voted what in a round: staff and the chair always; the rest of the
    committee, the proposer and the team once the round is closed."""
    if is_mc_staff(user) or is_chair(user):
        return True
    return not round_.is_open and can_view_record(round_.proposal, user)


def can_see_tally(round_: VotingRound, user) -> bool:
    """The count of a round: whoever sees its votes; other committee members while it
    is open only once they have voted (COMMITTEE_TALLY_AFTER_VOTE, on by default), so
    that the count so far does not sway their own vote."""
    if can_see_votes(round_, user):
        return True
    if not round_.is_open or not is_committee_member(user):
        return False
    return (
        not settings.COMMITTEE_TALLY_AFTER_VOTE
        or round_.votes.filter(voter=user).exists()
    )


@dataclass(frozen=True)
class DuplicateCard:
    """What a similarity hint may tell about a proposal its reader cannot open:
    enough to find the effort through the office, nothing of its record."""

    title: str
    campus: str
    state: str


def duplicate_card(proposal: Proposal) -> DuplicateCard:
    return DuplicateCard(
        title=proposal.title,
        campus=proposal.campus.name,
        state=proposal.state,
    )
