"""Who hears about each step of a proposal, in the app and by email."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string

from accounts.permissions import STAFF_GROUP
from approvals.models import CommitteeTerm
from proposals import policy
from proposals.freezes import Action
from proposals.models import Notification, TransitionLog

logger = logging.getLogger(__name__)

PROPOSER = "proposer"
TEAM = "team"
STAFF = "staff"
COMMITTEE = "committee"

# Transition name ("" for a new interest form) -> the audiences it concerns.
AUDIENCES: dict[str, tuple[str, ...]] = {
    "": (STAFF,),
    "triage": (PROPOSER,),
    "decline": (PROPOSER,),
    "accept": (PROPOSER, COMMITTEE),
    "start_development": (PROPOSER, TEAM, STAFF),
    "submit_draft": (PROPOSER, TEAM, STAFF),
    "request_revisions": (PROPOSER, TEAM),
    "forward_to_committee": (PROPOSER, TEAM, COMMITTEE),
    "approve": (PROPOSER, TEAM, STAFF, COMMITTEE),
    "reject": (PROPOSER, TEAM, STAFF, COMMITTEE),
    "return_for_revision": (PROPOSER, TEAM, STAFF),
    "publish": (PROPOSER, TEAM, COMMITTEE),
    "retire": (PROPOSER, TEAM),
    "withdraw": (PROPOSER, TEAM, STAFF),
}


# Transition name -> the action it asks of the people told (freezes.Action); the
# notification is marked done once the proposal's state freezes that action.
ASKS = {
    "accept": Action.TEAM,
    "start_development": Action.TEMPLATE,
    "submit_draft": Action.COMMENT,
    "request_revisions": Action.TEMPLATE,
    "forward_to_committee": Action.COMMITTEE,
    "return_for_revision": Action.TEMPLATE,
}


def recipients(entry: TransitionLog) -> list:
    """Active users concerned by this step and allowed by the policy to read the
    proposal's record, without the person who took it."""
    proposal = entry.proposal
    audiences = AUDIENCES.get(entry.transition, (PROPOSER,))
    people = Q(pk__in=[])
    if STAFF in audiences:
        people |= Q(groups__name=STAFF_GROUP)
    if COMMITTEE in audiences:
        people |= Q(pk__in=CommitteeTerm.objects.current().values("user_id"))
    if TEAM in audiences:
        people |= Q(memberships__team__proposal=proposal.pk)
    if PROPOSER in audiences:
        people |= Q(pk=proposal.proposer_id)
    return list(
        get_user_model()
        .objects.filter(people, is_active=True)
        .filter(policy.record_readers(proposal))
        .exclude(pk=entry.actor_id)
        .distinct()
        .order_by("pk")
    )


def message_for(entry: TransitionLog) -> str:
    proposal = entry.proposal
    if not entry.transition:
        return f"New interest form {proposal.reference}: {proposal.title}"
    return (
        f"{proposal.reference} {proposal.title}: {entry.label} "
        f"(now {entry.get_target_display().lower()})"
    )[:300]


def announce(entry: TransitionLog) -> list[Notification]:
    """Record in-app notifications now and send the emails after the commit, so no
    email tells of a step that was rolled back."""
    people = recipients(entry)
    message = message_for(entry)
    created = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            proposal=entry.proposal,
            event=entry,
            message=message,
            action=ASKS.get(entry.transition, ""),
        )
        for person in people
    )
    addresses = [person.email for person in people if person.email]
    if addresses:
        transaction.on_commit(lambda: send_emails(entry, message, addresses))
    return created


def send_emails(entry: TransitionLog, subject: str, addresses: list[str]) -> int:
    """One email per recipient, so no one sees the others' addresses. The step has
    already happened, so a mail server failure is logged rather than shown as an error;
    the in-app notification still stands."""
    body = render_to_string(
        "emails/transition.txt",
        {
            "entry": entry,
            "proposal": entry.proposal,
            "url": settings.SITE_URL + entry.proposal.get_absolute_url(),
            "office_email": settings.OFFICE_EMAIL,
        },
    )
    return send_quietly(subject, body, addresses)


def send_quietly(subject: str, body: str, addresses: list[str]) -> int:
    """Send one email per address after the work it tells of is done: a mail server
    failure is logged, not shown to the user, whose action already succeeded."""
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses
    ]
    try:
        return send_mass_mail(messages, fail_silently=False)
    except OSError:
        logger.exception("Could not send %r to %d address(es)", subject, len(addresses))
        return 0
