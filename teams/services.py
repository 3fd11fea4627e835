"""Forming a development team: invitations, calls for collaborators, join requests.
Each action checks its rule, changes the rows together and tells the people concerned.
(These live beside the team models rather than in approvals/services.py, which holds
the proposal's workflow: team formation is a concern of its own.)"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.mail import send_quietly
from accounts.permissions import STAFF_GROUP
from accounts.verification import is_verified, verified
from config.middleware import absolute_url
from proposals import freezes
from proposals.freezes import Action
from proposals.models import Notification, Proposal
from proposals.templatetags.proposal_tags import person
from teams.models import (
    Campus,
    CollaboratorCall,
    EmployerInput,
    Invitation,
    JoinRequest,
    Meeting,
    Membership,
    Role,
    Team,
)


def _require_verified(user) -> None:
    """Joining a team takes an account that proved it owns its address."""
    if not is_verified(user):
        raise ValidationError(
            _(
                "Confirm your email address first: open the link we sent when you "
                "signed up."
            )
        )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def form_team(proposal: Proposal) -> Team:
    """The proposal's team, created on acceptance with the proposer as its lead."""
    team, created = Team.objects.get_or_create(proposal=proposal)
    if created:
        Membership.objects.create(
            team=team, user=proposal.proposer, role=Role.LEAD, campus=proposal.campus
        )
    return team


def _notify(users, team: Team, message: str, link: str, action: str = "") -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            proposal=team.proposal,
            message=message,
            link=link,
            action=action,
        )
        for user in users
    )


def _ensure(team: Team, action: Action) -> None:
    """Refuse what the proposal's state freezes, holding its row lock until the
    caller's transaction ends so the state cannot change before the write."""
    freezes.ensure(freezes.locked(team.proposal), action)


def _team_link(team: Team) -> str:
    return reverse("teams:detail", args=[team.proposal_id])


def _managers(team: Team, *, besides=None) -> list:
    """The lead and active staff: who decides on membership."""
    users = {
        m.user for m in team.memberships.select_related("user") if m.role == Role.LEAD
    }
    users |= set(
        get_user_model().objects.filter(groups__name=STAFF_GROUP, is_active=True)
    )
    users.discard(besides)
    return sorted(users, key=lambda user: user.pk)


def invite(
    team: Team, *, by, email: str, role: str, campus=None, organisation="", message=""
) -> tuple[Invitation, str]:
    """Create an invitation and email its single-use link; returns it with the token."""
    with transaction.atomic():
        _ensure(team, Action.TEAM)
        return _invite(
            team,
            by=by,
            email=email,
            role=role,
            campus=campus,
            organisation=organisation,
            message=message,
        )


def _invite(
    team: Team, *, by, email: str, role: str, campus, organisation: str, message: str
) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        team=team,
        email=email.strip().lower(),
        role=role,
        campus=campus,
        organisation=organisation,
        message=message,
        token_hash=hash_token(token),
        invited_by=by,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    url = absolute_url(reverse("teams:invitation", args=[token]))
    body = render_to_string(
        "emails/invitation.txt",
        {"invitation": invitation, "proposal": team.proposal, "url": url, "by": by},
    )
    subject = _("Invitation to the development team of “%(title)s”") % {
        "title": team.proposal.title
    }
    transaction.on_commit(lambda: send_quietly(subject, body, [invitation.email]))
    # Only an account that proved it owns the address hears of it in the app.
    known = verified(
        get_user_model().objects.filter(email__iexact=invitation.email, is_active=True)
    )
    _notify(
        known,
        team,
        _("You are invited to join the team of %(title)s") % {"title": team.proposal},
        reverse("teams:invitation", args=[token]),
        Action.TEAM,
    )
    return invitation, token


def invite_several(
    team: Team, *, by, invitees: dict, role: str, **details: str
) -> list[Invitation]:
    """Invite several people at once, in one role: `invitees` maps each address to
    the campus they come from; `details` are the organisation and the message.
    All are invited, or none."""
    with transaction.atomic():
        return [
            invite(team, by=by, email=email, role=role, campus=campus, **details)[0]
            for email, campus in invitees.items()
        ]


# The people lookup answers this many accounts at most, from this many characters.
LOOKUP_LIMIT = 8
LOOKUP_MIN_CHARS = 2


def profile_campuses(users) -> dict[int, Campus]:
    """The campus each account works for, by account id: the campus of their most
    recent team membership, else of their most recent proposal. (Accounts have no
    profile form: these are what they told the office last.)"""
    from proposals.models import Proposal

    ids = dict(
        users.annotate(
            profile_campus=Coalesce(
                Subquery(
                    Membership.objects.filter(user=OuterRef("pk"), campus__isnull=False)
                    .order_by("-joined_at", "-pk")
                    .values("campus_id")[:1]
                ),
                Subquery(
                    Proposal.objects.filter(proposer=OuterRef("pk"))
                    .order_by("-created_at", "-pk")
                    .values("campus_id")[:1]
                ),
            )
        )
        .filter(profile_campus__isnull=False)
        .values_list("pk", "profile_campus")
    )
    campuses = Campus.objects.in_bulk(set(ids.values()))
    return {user_id: campuses[campus_id] for user_id, campus_id in ids.items()}


def invitable_people(team: Team):
    """Active, verified accounts not yet on the team: whom the people lookup offers
    and the only accounts the invitation form accepts by id."""
    return verified(
        get_user_model().objects.filter(is_active=True).exclude(memberships__team=team)
    )


def people_to_invite(team: Team, text: str, *, staff: bool):
    """The invitable people whose name has every word of `text` (or whose address is
    `text`), at most LOOKUP_LIMIT, by name. Only staff also find people by username
    or part of their address: a team lead could otherwise list the accounts of a
    whole employer by its domain, or learn who holds an account name."""
    words = text.split()
    if len(text.strip()) < LOOKUP_MIN_CHARS or not words:
        return get_user_model().objects.none()
    by_name = Q()
    for word in words[:4]:
        word_matches = Q(first_name__icontains=word) | Q(last_name__icontains=word)
        if staff:
            word_matches |= Q(username__iexact=word)
        by_name &= word_matches
    found = by_name | Q(email__iexact=text.strip())
    if staff:
        found |= Q(email__icontains=text.strip())
    return (
        invitable_people(team)
        .filter(found)
        .order_by("last_name", "first_name", "pk")[:LOOKUP_LIMIT]
    )


def accounts_with(addresses):
    """The active accounts whose address is one of `addresses`, in any case."""
    matching = Q(pk__in=[])
    for address in addresses:
        matching |= Q(email__iexact=address)
    return get_user_model().objects.filter(matching, is_active=True)


def invitations_for_page(team: Team, *, staff: bool) -> list[Invitation]:
    """The team's invitations, each with `shown_as`: how its address is shown.
    Contact details stay with the office: staff see the address, anyone else the
    name of the verified account behind it, or else only its domain."""
    invitations = list(team.invitations.select_related("campus"))
    names = {}
    if not staff:
        accounts = verified(accounts_with({i.email for i in invitations}))
        names = {user.email.lower(): person(user) for user in accounts}
    for invitation in invitations:
        address = invitation.email.lower()
        if staff:
            invitation.shown_as = address
        else:
            invitation.shown_as = names.get(address) or _("someone at %(domain)s") % {
                "domain": address.rpartition("@")[2]
            }
    return invitations


def find_invitation(token: str) -> Invitation | None:
    """The invitation for a token, with overdue ones recorded as expired on the way."""
    invitation = (
        Invitation.objects.select_related("team__proposal", "campus")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if (
        invitation
        and invitation.status == Invitation.Status.PENDING
        and not invitation.is_open
    ):
        Invitation.objects.filter(pk=invitation.pk).expire_overdue()
        invitation.refresh_from_db()
    return invitation


def _check_usable(invitation: Invitation, user) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(
            _("This invitation can no longer be used: %(status)s.")
            % {"status": invitation.get_status_display().lower()}
        )
    _require_verified(user)
    if invitation.email.lower() != (user.email or "").lower():
        raise ValidationError(
            _(
                "This invitation was sent to %(email)s, but you are signed in with "
                "another address. Sign out and sign in (or create an account) with "
                "%(email)s."
            )
            % {"email": invitation.email}
        )


def accept_invitation(invitation: Invitation, user) -> Membership:
    """Add the invited person to the team; the token cannot be used again."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _check_usable(invitation, user)
        _ensure(invitation.team, Action.TEAM)
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    team=invitation.team,
                    user=user,
                    role=invitation.role,
                    campus=invitation.campus,
                    organisation=invitation.organisation,
                )
        except IntegrityError as exc:
            raise ValidationError(_("You are already on this team.")) from exc
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_by = user
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "accepted_by", "responded_at"])
        team = invitation.team
        _notify(
            _managers(team, besides=user),
            team,
            _("%(name)s joined the team of %(title)s")
            % {"name": user.get_full_name() or user.username, "title": team.proposal},
            _team_link(team),
        )
    return membership


def decline_invitation(invitation: Invitation, user) -> None:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _check_usable(invitation, user)
        invitation.status = Invitation.Status.DECLINED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])


def revoke_invitation(invitation: Invitation) -> None:
    updated = Invitation.objects.filter(
        pk=invitation.pk, status=Invitation.Status.PENDING
    ).update(status=Invitation.Status.REVOKED, responded_at=timezone.now())
    if not updated:
        raise ValidationError(_("Only an invitation still waiting can be revoked."))


def open_call(team: Team, *, by, sought: str) -> CollaboratorCall:
    """Ask faculty on every campus to join, while the team may still grow."""
    with transaction.atomic():
        _ensure(team, Action.CALLS)
        if team.calls.filter(closed_at=None).exists():
            raise ValidationError(_("This team already has an open call."))
        return CollaboratorCall.objects.create(team=team, sought=sought, opened_by=by)


def close_call(call: CollaboratorCall) -> None:
    CollaboratorCall.objects.filter(pk=call.pk, closed_at=None).update(
        closed_at=timezone.now()
    )


def request_to_join(
    call: CollaboratorCall, user, *, campus, organisation, message
) -> JoinRequest:
    with transaction.atomic():
        proposal = freezes.locked(call.team.proposal)
        if not call.is_open or not freezes.allows(proposal.state, Action.CALLS):
            raise ValidationError(_("This call for collaborators is closed."))
        _require_verified(user)
        if call.team.memberships.filter(user=user).exists():
            raise ValidationError(_("You are already on this team."))
        try:
            with transaction.atomic():
                join = JoinRequest.objects.create(
                    call=call,
                    user=user,
                    campus=campus,
                    organisation=organisation,
                    message=message,
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("You have already asked to join this team.")
            ) from exc
        _notify(
            _managers(call.team, besides=user),
            call.team,
            _("%(name)s asks to join the team of %(title)s")
            % {
                "name": user.get_full_name() or user.username,
                "title": call.team.proposal,
            },
            _team_link(call.team),
            Action.TEAM,
        )
    return join


def decide_join_request(
    join: JoinRequest, *, by, accept: bool, role: str = Role.FACULTY
) -> None:
    """Accept (adding the member) or refuse a request; each is decided once."""
    with transaction.atomic():
        join = (
            JoinRequest.objects.select_for_update()
            .select_related("call__team")
            .get(pk=join.pk)
        )
        if join.status != JoinRequest.Status.PENDING:
            raise ValidationError(_("This request has already been decided."))
        team = join.call.team
        _ensure(team, Action.TEAM)
        if accept:
            if role == Role.LEAD:
                raise ValidationError(_("Make someone lead from the member list."))
            Membership.objects.get_or_create(
                team=team,
                user=join.user,
                defaults={
                    "role": role,
                    "campus": join.campus,
                    "organisation": join.organisation,
                },
            )
        join.status = (
            JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.REFUSED
        )
        join.decided_by = by
        join.decided_at = timezone.now()
        join.save(update_fields=["status", "decided_by", "decided_at"])
        verdict = _("accepted") if accept else _("declined")
        _notify(
            [join.user],
            team,
            _("Your request to join the team of %(title)s was %(verdict)s")
            % {"title": team.proposal, "verdict": verdict},
            _team_link(team) if accept else reverse("dashboard"),
        )


def make_lead(membership: Membership) -> None:
    """Hand the lead to this member; the former lead stays on as faculty."""
    with transaction.atomic():
        _ensure(membership.team, Action.TEAM)
        Membership.objects.filter(team=membership.team_id, role=Role.LEAD).exclude(
            pk=membership.pk
        ).update(role=Role.FACULTY)
        Membership.objects.filter(pk=membership.pk).update(role=Role.LEAD)


def remove_member(membership: Membership) -> None:
    if membership.role == Role.LEAD:
        raise ValidationError(
            _("Hand the lead to someone else before removing the lead.")
        )
    with transaction.atomic():
        _ensure(membership.team, Action.TEAM)
        membership.delete()


def record_meeting(form, team: Team, by) -> Meeting:
    """Save a new or edited meeting of the team's log (a bound, valid MeetingForm)."""
    with transaction.atomic():
        _ensure(team, Action.RECORD)
        meeting = form.save(commit=False)
        if not meeting.pk:
            meeting.recorded_by = by
        meeting.save()
        form.save_m2m()
    return meeting


def record_employer_input(form, team: Team, by) -> EmployerInput:
    """Save what an employer told the team (a bound, valid EmployerInputForm)."""
    with transaction.atomic():
        _ensure(team, Action.RECORD)
        form.instance.team = team
        form.instance.recorded_by = by
        return form.save()


def close_team_formation(
    proposal: Proposal, *, membership: bool, calls: bool, when
) -> None:
    """Close what the proposal's new state no longer allows: pending invitations and
    join requests when its membership is fixed, open calls when it seeks nobody."""
    if not membership:
        Invitation.objects.filter(
            team__proposal=proposal, status=Invitation.Status.PENDING
        ).update(status=Invitation.Status.REVOKED, responded_at=when)
        JoinRequest.objects.filter(
            call__team__proposal=proposal, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.CLOSED, decided_at=when)
    if not calls:
        CollaboratorCall.objects.filter(team__proposal=proposal, closed_at=None).update(
            closed_at=when
        )
