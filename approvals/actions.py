""" "Needs your action": what waits on one person, per role, oldest first.

Each source is one query (the committee's rounds a fixed few), cut to LIMIT rows, so
the dashboard costs the same however large the system grows. The oldest LIMIT items
of a role are always among the oldest LIMIT of each of its sources."""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Count, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_chair, is_committee_member, is_mc_staff
from accounts.verification import is_verified
from approvals.models import VotingRound
from approvals.services import agenda_for
from metadata_templates.models import ReviewComment
from proposals.models import Notification, Proposal, State
from teams.models import Invitation, JoinRequest, Role

LIMIT = 10


@dataclasses.dataclass(frozen=True)
class Waiting:
    """One thing waiting on the reader: what to do, about what, since when, where."""

    what: str
    title: str
    since: datetime.datetime
    url: str
    detail: str = ""
    # A one-step answer the list offers in place (a button posting answer=accept to
    # `url`), where the page at `url` would only ask for it.
    accept: str = ""
    # The voting round whose vote the list takes in place.
    vote: int | None = None


@dataclasses.dataclass(frozen=True)
class RoleQueue:
    """The list of one role the reader holds ("As staff", "As team member")."""

    key: str
    heading: str
    items: list[Waiting]
    empty_text: str


def _waiting_proposals(queryset) -> list[Proposal]:
    return list(
        queryset.annotate(since=F("state_changed_at"))
        .only("pk", "title", "state", "state_changed_at")
        .order_by("since", "pk")[:LIMIT]
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


STAFF_STEPS = {
    State.SUBMITTED: _("Triage the new interest form"),
    State.IN_TRIAGE: _("Accept or decline the interest form"),
    State.UNDER_REVIEW: _("Review the submitted draft"),
    State.APPROVED: _("Publish the approved credential"),
}


def for_staff() -> list[Waiting]:
    """New interest forms, drafts to review, approved credentials to publish, and
    voting rounds past their deadline."""
    items = [
        Waiting(str(STAFF_STEPS[p.state]), p.title, p.since, p.get_absolute_url())
        for p in _waiting_proposals(
            Proposal.objects.filter(state__in=list(STAFF_STEPS))
        )
    ]
    overdue = (
        VotingRound.objects.open()
        .filter(deadline__lt=timezone.localdate())
        .select_related("proposal")
        .order_by("deadline", "pk")[:LIMIT]
    )
    items += [
        Waiting(
            _("Voting deadline passed: follow up with the committee"),
            round_.proposal.title,
            _start_of(round_.deadline + datetime.timedelta(days=1)),
            reverse("committee:round", args=[round_.pk]),
            round_.time_left(),
        )
        for round_ in overdue
    ]
    return _oldest(items)


def for_committee(user, *, chair: bool) -> tuple[list[Waiting], list[Waiting]]:
    """The rounds the chair may close (everyone eligible voted, or the deadline
    passed) and, for a voting member, the open rounds without their vote, with the
    deadline."""
    to_close, to_vote = [], []
    for item in agenda_for(user):
        round_ = item.round
        url = reverse("committee:round", args=[round_.pk])
        if chair and (item.voted == item.eligible or round_.is_overdue):
            to_close.append(
                Waiting(
                    _("Close the voting round"),
                    round_.proposal.title,
                    round_.opened_at,
                    # Straight to the confirmation with the tally and the decision.
                    reverse("committee:close", args=[round_.pk]),
                    _("%(voted)d of %(eligible)d voted")
                    % {"voted": item.voted, "eligible": item.eligible},
                )
            )
        if item.may_vote and not item.my_vote:
            to_vote.append(
                Waiting(
                    _("Vote"),
                    round_.proposal.title,
                    round_.opened_at,
                    url,
                    _("Deadline %(date)s (%(left)s)")
                    % {"date": _day(round_.deadline), "left": round_.time_left()}
                    if round_.deadline
                    else "",
                    vote=round_.pk,
                )
            )
    return _oldest(to_close), _oldest(to_vote)


def for_team(user) -> list[Waiting]:
    """Returned drafts with open review comments, invitations to answer, requests
    to join a team the user leads, and meetings still to log before submitting."""
    mine = Proposal.objects.on_teams_of(user)
    open_comments = (
        ReviewComment.objects.open()
        .filter(draft__proposal=OuterRef("pk"))
        .order_by()
        .values("draft__proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    returned = _waiting_proposals(
        mine.filter(state=State.DRAFTING)
        .annotate(open_comments=Subquery(open_comments))
        .filter(open_comments__gt=0)
    )
    items = [
        Waiting(
            _("Revise the returned draft"),
            p.title,
            p.since,
            reverse("drafts:editor", args=[p.pk]),
            _("%(n)d open comment(s)") % {"n": p.open_comments},
        )
        for p in returned
    ]
    meetings = _waiting_proposals(
        mine.filter(state__in=[State.TEAM_FORMING, State.DRAFTING])
        .annotate(logged=Count("team__meetings", distinct=True))
        .filter(logged__lt=settings.TEAM_MIN_MEETINGS)
    )
    items += [
        Waiting(
            _("Log the team's meetings"),
            p.title,
            p.since,
            reverse("teams:meeting_new", args=[p.pk]),
            _("%(have)d of %(need)d logged")
            % {"have": p.logged, "need": settings.TEAM_MIN_MEETINGS},
        )
        for p in meetings
    ]
    requests = (
        JoinRequest.objects.filter(
            status=JoinRequest.Status.PENDING,
            call__team__memberships__user=user,
            call__team__memberships__role=Role.LEAD,
        )
        .select_related("user", "call__team__proposal")
        .order_by("created_at", "pk")[:LIMIT]
    )
    items += [
        Waiting(
            _("Answer %(name)s's request to join")
            % {"name": join.user.get_full_name() or join.user.username},
            join.call.team.proposal.title,
            join.created_at,
            reverse("teams:detail", args=[join.call.team.proposal_id]),
        )
        for join in requests
    ]
    return _oldest(items + _invitations(user))


def _invitations(user) -> list[Waiting]:
    """Pending invitations to the user's (verified) address. The link carries the
    invitation's secret token, which only its notification keeps."""
    if not user.email or not is_verified(user):
        return []
    pending = list(
        Invitation.objects.pending()
        .filter(email__iexact=user.email)
        .select_related("team__proposal")
        .order_by("created_at", "pk")[:LIMIT]
    )
    if not pending:
        return []
    links = dict(
        Notification.objects.filter(
            recipient=user,
            proposal__in=[i.team.proposal_id for i in pending],
            link__startswith=reverse("teams:invitation", args=["x"])[:-2],
        )
        .order_by("created_at", "pk")
        .values_list("proposal_id", "link")
    )
    return [
        Waiting(
            _("Answer the invitation to join the team"),
            invitation.team.proposal.title,
            invitation.created_at,
            links.get(invitation.team.proposal_id, reverse("dashboard")),
            _("expires %(date)s") % {"date": _day(invitation.expires_at)},
            _("Accept and join the team")
            if invitation.team.proposal_id in links
            else "",
        )
        for invitation in pending
    ]


def _day(moment: datetime.date) -> str:
    """A day as the pages write it ("Dec 14, 2026"), not as ISO."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment)
    return dateformat.format(moment, "M j, Y")


def _oldest(items: list[Waiting]) -> list[Waiting]:
    return sorted(items, key=lambda item: item.since)[:LIMIT]


def queues_for(user) -> list[RoleQueue]:
    """One list per role the user holds, each oldest first."""
    queues = []
    if is_mc_staff(user):
        queues.append(
            RoleQueue(
                "staff",
                _("As micro-credential staff"),
                for_staff(),
                _("Nothing is waiting on the office."),
            )
        )
    if is_committee_member(user):
        chair = is_chair(user)
        to_close, to_vote = for_committee(user, chair=chair)
        if chair:
            queues.append(
                RoleQueue(
                    "chair",
                    _("As committee chair"),
                    to_close,
                    _("No voting round is ready to close."),
                )
            )
        queues.append(
            RoleQueue(
                "committee",
                _("As committee member"),
                to_vote,
                _("You have voted in every open round."),
            )
        )
    team = for_team(user)
    if team or Proposal.objects.on_teams_of(user).exists():
        queues.append(
            RoleQueue(
                "team",
                _("As development team member"),
                team,
                _("Nothing is waiting on you or your teams."),
            )
        )
    return queues
