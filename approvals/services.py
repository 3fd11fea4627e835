"""Workflow actions. Every change of a proposal's state, from the web, the admin or a
command, goes through `perform`, so each is checked, logged and notified alike."""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from accounts.mail import send_quietly
from accounts.permissions import is_chair, is_committee_member, is_mc_staff
from approvals import rules
from approvals.models import (
    CommitteeTerm,
    Recusal,
    RoundComment,
    Vote,
    VoteChange,
    VoteReminder,
    VotingRound,
)
from config.middleware import absolute_url
from metadata_templates.services import (
    freeze,
    newest_number,
    open_comment_ids,
    start_template,
)
from proposals import freezes, hooks, meanwhile, notifications, policy
from proposals.freezes import Action
from proposals.models import (
    InterestFormEdit,
    Notification,
    Proposal,
    State,
    TransitionLog,
    action_named,
)
from proposals.transitions import (
    ConditionsUnmet,
    NotAvailable,
    Stale,
    fire,
)
from teams.models import Membership
from teams.services import close_team_formation, form_team

User = get_user_model()
logger = logging.getLogger(__name__)

# What a transition sets up beyond the proposal itself, in the same transaction.
EFFECTS = {
    "accept": lambda proposal, user: form_team(proposal),
    "start_development": start_template,
    "submit_draft": freeze,
    "forward_to_committee": lambda proposal, user, **options: open_round(
        proposal, user, **options
    ),
}


class StaleProposal(Stale):
    """The proposal moved on since the user looked at it; nothing was changed."""


class StaleRevision(StaleProposal):
    """A newer revision of the template was saved after the user looked at it."""

    def __init__(self, name: str, seen: int) -> None:
        super().__init__(name)
        self.seen = seen


def perform(
    proposal: Proposal,
    name: str,
    *,
    user,
    note: str = "",
    expected_state: str | None = None,
    revision: int | None = None,
    announce: bool = True,
    deadline: date | None = None,
    open_comments: list[int] | None = None,
) -> TransitionLog:
    """Fire transition `name` for `user`: check permission, transition, save, log the
    step and notify the people it concerns once the transaction has committed.

    `expected_state` is the state the user saw when they chose the action; if the
    proposal has moved on since, nothing happens (StaleProposal), because the user
    decided on something that is no longer there. Likewise `revision`, the newest
    template revision the user saw: a submission freezes exactly that one
    (StaleRevision if another was saved since). `deadline` is the voting deadline
    of the round that forwarding opens (by default COMMITTEE_VOTING_DAYS away).
    `open_comments` are the review comments the user confirmed forwarding with: if
    the open ones differ (one was added or reopened meanwhile), nothing happens
    (ValidationError on "confirm_open"); None skips the check (commands and the
    admin, which show no comments).

    Raises what `proposals.transitions.fire` raises, StaleProposal and
    StaleRevision for staleness.
    """

    def as_seen() -> None:
        """What the user confirmed on is still what there is."""
        if revision is not None and revision != newest_number(proposal):
            raise StaleRevision(name, revision)
        if (
            open_comments is not None
            and Proposal.transition_named(name).custom.get("open_comments") == "confirm"
            and sorted(open_comment_ids(proposal)) != sorted(open_comments)
        ):
            raise ValidationError(
                {
                    "confirm_open": _(
                        "The open comments changed since you opened this page: "
                        "read them again and confirm."
                    )
                }
            )

    def record(source: str, note: str) -> TransitionLog:
        proposal.save()
        if name in EFFECTS:
            EFFECTS[name](
                proposal, user, **({"deadline": deadline} if deadline else {})
            )
        for effect in hooks.transition_effects.get(name, ()):
            effect(proposal, user)
        entry = TransitionLog.objects.create(
            proposal=proposal,
            transition=name,
            source=source,
            target=proposal.state,
            actor=user,
            note=note,
        )
        close_what_state_freezes(entry)
        if announce:
            notifications.announce(entry)
        return entry

    return fire(
        proposal,
        name,
        user=user,
        note=note,
        expected_state=expected_state,
        stale=StaleProposal,
        before=as_seen,
        record=record,
    )


def perform_steps(
    proposal: Proposal,
    names: tuple[str, ...],
    *,
    user,
    note: str = "",
    expected_state: str | None = None,
    revision: int | None = None,
    deadline: date | None = None,
    open_comments: list[int] | None = None,
) -> TransitionLog:
    """Fire several transitions confirmed at once (a shortcut), all or none. Each is
    performed and logged as itself, so the timeline, the stepper and every rule
    that reads the log see the same steps as when they are taken one by one; the
    note goes with the last, and only the last is announced, since the people
    concerned want to hear where the proposal now stands, once."""
    with transaction.atomic():
        for name in names[:-1]:
            perform(
                proposal,
                name,
                user=user,
                expected_state=expected_state,
                announce=False,
            )
            expected_state = proposal.state
        return perform(
            proposal,
            names[-1],
            user=user,
            note=note,
            expected_state=expected_state,
            revision=revision,
            deadline=deadline,
            open_comments=open_comments,
        )


def refusal(
    error: TransitionNotAllowed | ConcurrentTransition, name: str, pk: int
) -> str:
    """Why transition `name` of proposal `pk` did not happen, for the person who
    asked: which condition failed, that the state does not offer it, or that the
    proposal moved on meanwhile."""
    meta = action_named(name)
    action = meta.custom["label"] if meta else name
    state = Proposal.objects.get(pk=pk).get_state_display()
    if isinstance(error, ConditionsUnmet):
        return _("Nothing was changed: “%(action)s” needs this first: %(problems)s") % {
            "action": action,
            "problems": " ".join(error.problems),
        }
    if isinstance(error, StaleRevision):
        return _(
            "Nothing was submitted: the template was saved again after you opened "
            "this page (you saw revision %(n)d). Look at the newest revision, then "
            "submit again."
        ) % {"n": error.seen}
    if isinstance(error, NotAvailable):
        return _(
            "Nothing was changed: “%(action)s” is not available while the proposal "
            "is “%(state)s”."
        ) % {"action": action, "state": state}
    return _(
        "Nothing was changed: this proposal changed while you were looking at it and "
        "is now “%(state)s”. Check the timeline and try again."
    ) % {"state": state}


def close_what_state_freezes(entry: TransitionLog) -> None:
    """Leaving a state closes what it opened and the new state freezes: open voting
    rounds end void, pending invitations are revoked, calls for collaborators close,
    and notifications asking for an action no longer possible are marked done."""
    proposal, target = entry.proposal, entry.target
    allowed = freezes.ALLOWED[target]
    if Action.COMMITTEE not in allowed:
        reason = f"{entry.label}: {entry.note}" if entry.note else entry.label
        VotingRound.objects.open().filter(proposal=proposal).update(
            outcome=VotingRound.Outcome.VOID,
            closed_at=entry.created_at,
            closed_by=entry.actor,
            decision_note=reason,
        )
    close_team_formation(
        proposal,
        membership=Action.TEAM in allowed,
        calls=Action.CALLS in allowed,
        when=entry.created_at,
    )
    Notification.objects.filter(proposal=proposal, read_at=None).exclude(
        action=""
    ).exclude(action__in=allowed).update(read_at=entry.created_at)


def submit_interest_form(proposal: Proposal, *, user) -> TransitionLog:
    """Save a new interest form, record its arrival and tell the office."""
    with transaction.atomic():
        proposal.proposer = user
        proposal.save()
        entry = TransitionLog.objects.create(
            proposal=proposal, source="", target=State.SUBMITTED, actor=user
        )
        notifications.announce(entry)
    return entry


def _shown(proposal: Proposal, name: str) -> str:
    """A field of the interest form as a person reads it."""
    field = Proposal._meta.get_field(name)
    if name == "intended_levels":
        return ", ".join(map(str, proposal.get_intended_levels_display()))
    if field.choices:
        return str(getattr(proposal, f"get_{name}_display")())
    value = getattr(proposal, name)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


def edit_interest_form(form, user) -> InterestFormEdit | None:
    """Save the proposer's edit of their interest form, allowed until the office
    accepts it, and log what each changed field said before. None when nothing
    changed; EditedMeanwhile when the form's page is older than the record."""
    proposal = form.instance
    if not policy.is_proposer(proposal, user):
        raise PermissionDenied
    with transaction.atomic():
        stored = freezes.locked(proposal)
        freezes.ensure(stored, Action.INTEREST_FORM)
        meanwhile.check(form, stored)
        changed = [
            name
            for name in form.changed_data
            if _shown(stored, name) != _shown(proposal, name)
        ]
        if not changed:
            return None
        form.save()
        return InterestFormEdit.objects.create(
            proposal=proposal,
            editor=user,
            before={name: _shown(stored, name) for name in changed},
        )


# The Steering Committee's voting rounds.


def open_round(
    proposal: Proposal, user=None, deadline: date | None = None
) -> VotingRound:
    """Put the draft just forwarded (the newest "Draft N") before the committee,
    voting until `deadline` (by default COMMITTEE_VOTING_DAYS away). A proposal put
    in review without a submitted draft (by an administrator) has its newest
    revision frozen now, so the committee always votes on a fixed text."""
    if deadline is not None and deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("The voting deadline must be ahead.")})
    draft = proposal.drafts.order_by("-number").first()
    if draft is None:
        if not proposal.revisions.exists():
            raise ValidationError(_("There is no meta-data draft to put to a vote."))
        draft = freeze(proposal, user)
    deadline = deadline or timezone.localdate() + timedelta(
        days=settings.COMMITTEE_VOTING_DAYS
    )
    return VotingRound.objects.create(proposal=proposal, draft=draft, deadline=deadline)


def recused_by_round(rounds: list[VotingRound]) -> dict[int, set[int]]:
    """Members who may not vote in each round (by round id): declared conflicts and
    the proposal's team. Two queries, however many rounds."""
    recused: dict[int, set[int]] = {round_.pk: set() for round_ in rounds}
    declared = Recusal.objects.filter(round__in=recused).values_list(
        "round_id", "member_id"
    )
    for round_id, member_id in declared:
        recused[round_id].add(member_id)
    rounds_of: dict[int, list[int]] = defaultdict(list)
    for round_ in rounds:
        rounds_of[round_.proposal_id].append(round_.pk)
    team = Membership.objects.filter(team__proposal__in=rounds_of).values_list(
        "team__proposal_id", "user_id"
    )
    for proposal_id, user_id in team:
        for round_id in rounds_of[proposal_id]:
            recused[round_id].add(user_id)
    return recused


def recused_ids(round_: VotingRound) -> set[int]:
    """Members who may not vote: declared conflicts and the proposal's team."""
    return recused_by_round([round_])[round_.pk]


def current_member_ids() -> set[int]:
    return set(CommitteeTerm.objects.current().values_list("user_id", flat=True))


def eligible_ids(round_: VotingRound, members: set[int] | None = None) -> set[int]:
    """Current committee members (or the `members` given) who may vote in this round."""
    if members is None:
        members = current_member_ids()
    return members - recused_ids(round_)


def why_no_vote(round_: VotingRound, user) -> str:
    """Why `user` does not vote in an open round, naming the reason; empty when
    they do."""
    if not is_committee_member(user):
        if is_mc_staff(user):
            return _(
                "You do not vote in this round: micro-credential staff are not "
                "members of the Steering Committee."
            )
        return _(
            "You do not vote in this round: you hold no current Steering Committee "
            "term."
        )
    if round_.recusals.filter(member=user).exists():
        return _("You do not vote in this round: you declared a conflict of interest.")
    if Membership.objects.filter(team__proposal=round_.proposal_id, user=user).exists():
        return _(
            "You do not vote in this round: you are on this proposal's development "
            "team."
        )
    return ""


def not_voted(round_: VotingRound) -> list:
    """The eligible members who have not voted yet in an open round, by name."""
    eligible = eligible_ids(round_)
    missing = eligible - set(round_.votes.values_list("voter_id", flat=True))
    return list(
        User.objects.filter(pk__in=missing).order_by(
            "last_name", "first_name", "username"
        )
    )


@dataclasses.dataclass(frozen=True)
class AgendaItem:
    """An open round as one person sees it on the agenda."""

    round: VotingRound
    my_vote: str
    voted: int
    eligible: int
    may_vote: bool


def agenda_for(user) -> list[AgendaItem]:
    """The open rounds, soonest meeting and deadline first, each with the user's own
    vote and the turnout among eligible members; a fixed number of queries."""
    rounds = list(
        VotingRound.objects.open()
        .select_related("proposal__campus", "draft")
        .order_by("meeting_on", "deadline", "opened_at")
    )
    members = current_member_ids()
    recused = recused_by_round(rounds)
    votes: dict[int, dict[int, str]] = defaultdict(dict)
    for round_id, voter_id, choice in Vote.objects.filter(round__in=rounds).values_list(
        "round_id", "voter_id", "choice"
    ):
        votes[round_id][voter_id] = choice
    items = []
    for round_ in rounds:
        eligible = members - recused[round_.pk]
        cast = votes[round_.pk]
        mine = cast.get(user.pk)
        items.append(
            AgendaItem(
                round=round_,
                my_vote=Vote.Choice(mine).label if mine else "",
                voted=len(eligible & cast.keys()),
                eligible=len(eligible),
                may_vote=user.pk in eligible,
            )
        )
    return items


def round_tally(round_: VotingRound) -> rules.Tally:
    """The count as it stands, from eligible members' votes only; for a closed round,
    the count recorded when it closed."""
    if round_.closed_at is not None and round_.final_tally:
        return rules.Tally(**round_.final_tally)
    members = current_member_ids()
    eligible = eligible_ids(round_, members)
    choices = Counter(
        round_.votes.filter(voter_id__in=eligible).values_list("choice", flat=True)
    )
    return rules.tally(len(eligible), choices, recused=len(members - eligible))


def closed_message(round_: VotingRound) -> str:
    """Why a closed round takes no more votes or decisions."""
    if round_.outcome == VotingRound.Outcome.VOID:
        return _("This round was closed without a decision: %(reason)s") % {
            "reason": round_.decision_note
        }
    return _("This round is closed; the decision is recorded.")


def _locked(round_: VotingRound) -> VotingRound:
    """The round row, locked until the transaction ends, so that votes and the close
    are serialised (PostgreSQL); a closed round refuses both. The proposal's row is
    locked first, in the order perform() takes them, and its state must allow the
    committee's work."""
    proposal = freezes.locked(round_.proposal)
    current = VotingRound.objects.select_for_update().get(pk=round_.pk)
    if current.closed_at is not None:
        raise ValidationError(closed_message(current))
    freezes.ensure(proposal, Action.COMMITTEE)
    return current


def cast_vote(round_: VotingRound, user, choice: str, comment: str = "") -> Vote:
    """Record or change the user's vote while the round is open; log every change."""
    if choice not in Vote.Choice.values:
        raise ValidationError(
            _("Choose approve, reject, return for revision or abstain.")
        )
    with transaction.atomic():
        current = _locked(round_)
        if user.pk not in eligible_ids(current):
            raise PermissionDenied
        vote, created = Vote.objects.get_or_create(
            round=current, voter=user, defaults={"choice": choice, "comment": comment}
        )
        if not created:
            vote.choice, vote.comment, vote.updated_at = choice, comment, timezone.now()
            vote.save(update_fields=["choice", "comment", "updated_at"])
        VoteChange.objects.create(
            round=current, voter=user, choice=choice, comment=comment
        )
    return vote


def recuse(round_: VotingRound, user, reason: str) -> Recusal:
    """Declare a conflict: the member's vote, if any, is withdrawn."""
    if not reason.strip():
        raise ValidationError(_("Say what the conflict is."))
    with transaction.atomic():
        current = _locked(round_)
        if not is_committee_member(user):
            raise PermissionDenied
        recusal, _created = Recusal.objects.get_or_create(
            round=current, member=user, defaults={"reason": reason}
        )
        current.votes.filter(voter=user).delete()
    return recusal


def add_round_comment(round_: VotingRound, user, body: str) -> RoundComment:
    """A committee member's contribution to the discussion of an open round."""
    if not body.strip():
        raise ValidationError(_("Write a comment first."))
    if not is_committee_member(user):
        raise PermissionDenied
    with transaction.atomic():
        current = _locked(round_)
        return RoundComment.objects.create(
            round=current, author=user, body=body.strip()
        )


def extended(round_: VotingRound) -> date:
    """The deadline an extension offers: a week past the current one, or past today
    once it has gone by."""
    today = timezone.localdate()
    return max(round_.deadline or today, today) + timedelta(days=7)


def extend_round(round_: VotingRound, *, deadline, meeting_on=None) -> None:
    """Give a round more time (one that misses quorum is never decided without it):
    a deadline after the current one, and the meeting date (None clears it). The
    members who have not voted yet are told the new deadline."""
    with transaction.atomic():
        current = _locked(round_)
        if current.deadline and deadline <= current.deadline:
            raise ValidationError(
                _(
                    "An extension gives more time: choose a day after the current "
                    "deadline, %(day)s."
                )
                % {"day": dateformat.format(current.deadline, "M j, Y")}
            )
        current.deadline = deadline
        current.meeting_on = meeting_on
        current.save(update_fields=["deadline", "meeting_on"])
        waiting = [member.email for member in not_voted(current) if member.email]
        title = current.proposal.title
        body = _(
            "The Steering Committee's vote on “%(title)s” now closes at the end of "
            "%(day)s. You have not voted yet: %(url)s"
        ) % {
            "title": title,
            "day": dateformat.format(deadline, "l, F j, Y"),
            "url": absolute_url(reverse("committee:round", args=[current.pk])),
        }
        transaction.on_commit(
            lambda: send_quietly(
                _("More time to vote: %(title)s") % {"title": title}, body, waiting
            )
        )


def close_round(round_: VotingRound, user, note: str = "") -> TransitionLog:
    """The chair closes the round: with quorum, the votes' outcome fires the matching
    transition (approve, reject or return for revision) in the same transaction."""
    if not is_chair(user):
        raise PermissionDenied
    with transaction.atomic():
        current = _locked(round_)
        result = round_tally(current)
        if not result.quorum_met:
            raise ValidationError(
                _(
                    "Quorum is not met (%(voted)d of %(needed)d votes needed); extend "
                    "the round instead."
                )
                % {"voted": result.voted, "needed": result.quorum}
            )
        current.outcome = result.outcome
        current.closed_at = timezone.now()
        current.closed_by = user
        current.decision_note = note.strip()
        current.final_tally = dataclasses.asdict(result)
        current.save(
            update_fields=[
                "outcome",
                "closed_at",
                "closed_by",
                "decision_note",
                "final_tally",
            ]
        )
        proposal = Proposal.objects.get(pk=current.proposal_id)
        return perform(
            proposal,
            result.outcome,
            user=user,
            # Rejecting or returning needs the committee's reasons for the team.
            note=note
            or (
                _("Approved by the Steering Committee's vote.")
                if result.outcome == "approve"
                else ""
            ),
        )


# Members are reminded this many days before the deadline (and until it).
REMIND_DAYS_BEFORE = 2


def _remind(round_: VotingRound, user, kind: str, context: dict) -> bool:
    """Record and send one reminder unless it was recorded before. The record is
    written first, in the same transaction as the sending: a concurrent run waits on
    the unique row and then skips it, and a failed send leaves no record, so the
    next run tries again."""
    if not user.email:
        return False
    subject = {
        VoteReminder.Kind.DUE_SOON: _("Your vote is due: %(title)s"),
        VoteReminder.Kind.OVERDUE: _("Voting deadline passed: %(title)s"),
    }[kind] % {"title": round_.proposal.title}
    body = render_to_string(
        "approvals/email_vote_reminder.txt",
        {
            **context,
            "kind": kind,
            "round": round_,
            "proposal": round_.proposal,
            "url": absolute_url(reverse("committee:round", args=[round_.pk])),
            "office_email": settings.OFFICE_EMAIL,
        },
    )
    try:
        with transaction.atomic():
            VoteReminder.objects.create(round=round_, recipient=user, kind=kind)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:
        return False
    except OSError:
        logger.exception("Could not send a vote reminder for round %s", round_.pk)
        return False
    return True


def send_vote_reminders(today: date | None = None) -> int:
    """The daily reminders: members who may vote and have not are emailed from
    REMIND_DAYS_BEFORE days before an open round's deadline; the chair is emailed
    once the deadline has passed. Each reminder goes once. Returns how many went."""
    today = today or timezone.localdate()
    rounds = list(
        VotingRound.objects.open()
        .filter(deadline__isnull=False)
        .filter(deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE))
        .select_related("proposal")
    )
    chairs = list(
        User.objects.filter(
            committee_terms__in=CommitteeTerm.objects.current().filter(
                role__in=[CommitteeTerm.Role.CHAIR, CommitteeTerm.Role.ACTING_CHAIR]
            )
        ).distinct()
    )
    sent = 0
    for round_ in rounds:
        if round_.deadline >= today:
            for member in not_voted(round_):
                sent += _remind(round_, member, VoteReminder.Kind.DUE_SOON, {})
        else:
            result = round_tally(round_)
            context = {
                "voted": result.voted,
                "eligible": result.eligible,
                "quorum": result.quorum,
            }
            for chair in chairs:
                sent += _remind(round_, chair, VoteReminder.Kind.OVERDUE, context)
    return sent
