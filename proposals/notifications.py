"""Who hears about each step of a proposal, in the app and by email."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.mail import send_quietly
from accounts.permissions import STAFF_GROUP
from config.middleware import absolute_url
from proposals import policy
from proposals.freezes import Action
from proposals.models import Notification, TransitionLog

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


# Transition name -> the audiences asked to act on it; the others are only told.
ASKED: dict[str, tuple[str, ...]] = {
    "": (STAFF,),
    "accept": (PROPOSER,),
    "start_development": (PROPOSER, TEAM),
    "submit_draft": (STAFF,),
    "request_revisions": (PROPOSER, TEAM),
    "forward_to_committee": (COMMITTEE,),
    "approve": (STAFF,),
    "return_for_revision": (PROPOSER, TEAM),
}

# What happened, in a sentence: "%(who)s" is the person who did it, "%(what)s" the
# proposal ("your proposal “…”" for its proposer).
HAPPENED = {
    "": _("%(who)s sent a new interest form, %(what)s"),
    "triage": _("%(who)s started the triage of %(what)s"),
    "decline": _("%(who)s declined %(what)s"),
    "accept": _("%(who)s accepted %(what)s; the team is forming"),
    "start_development": _("%(who)s started the development of %(what)s"),
    "submit_draft": _("%(who)s submitted a draft of %(what)s for review"),
    "request_revisions": _("%(who)s asked for revisions to %(what)s"),
    "forward_to_committee": _("%(who)s forwarded %(what)s to the Steering Committee"),
    "approve": _("The Steering Committee approved %(what)s"),
    "reject": _("The Steering Committee rejected %(what)s"),
    "return_for_revision": _("The Steering Committee returned %(what)s for revision"),
    "publish": _("%(who)s published %(what)s in the catalog"),
    "retire": _("%(who)s retired %(what)s"),
    "withdraw": _("%(who)s withdrew %(what)s"),
}

# What the people asked are to do, and where (a URL name taking the proposal's pk,
# or a function of the entry).
ASK = {
    "": (_("triage it"), "proposals:detail"),
    "accept": (_("invite collaborators"), "teams:detail"),
    "start_development": (_("write the meta-data template"), "drafts:editor"),
    "submit_draft": (_("review it"), "drafts:draft"),
    "request_revisions": (_("answer the comments in the editor"), "drafts:editor"),
    "forward_to_committee": (_("vote"), "committee:round"),
    "approve": (_("publish it"), "proposals:detail"),
    "return_for_revision": (_("revise the draft"), "drafts:editor"),
}


def _link(entry: TransitionLog, name: str) -> str:
    proposal = entry.proposal
    if name == "drafts:draft":
        draft = proposal.drafts.order_by("-number").first()
        if draft is None:
            return proposal.get_absolute_url()
        return reverse(name, args=[proposal.pk, draft.number])
    if name == "committee:round":
        voting = proposal.rounds.open().first()
        if voting is None:
            return proposal.get_absolute_url()
        return reverse(name, args=[voting.pk])
    return reverse(name, args=[proposal.pk])


def _audiences(proposal) -> dict[str, Q]:
    return {
        STAFF: Q(groups__name=STAFF_GROUP),
        COMMITTEE: Q(pk__in=permissions.current_committee_terms().values("user_id")),
        TEAM: Q(memberships__team__proposal=proposal.pk),
        PROPOSER: Q(pk=proposal.proposer_id),
    }


def recipients(entry: TransitionLog) -> list:
    """Active users concerned by this step and allowed by the policy to read the
    proposal's record, without the person who took it. Each carries `asked`: whether
    the step asks them to act."""
    proposal = entry.proposal
    audiences = AUDIENCES.get(entry.transition, (PROPOSER,))
    filters = _audiences(proposal)
    people = Q(pk__in=[])
    for audience in audiences:
        people |= filters[audience]
    asked = Q(pk__in=[])
    for audience in ASKED.get(entry.transition, ()):
        if audience in audiences:
            asked |= filters[audience]
    found = list(
        get_user_model()
        .objects.filter(people, is_active=True)
        .filter(policy.record_readers(proposal))
        .exclude(pk=entry.actor_id)
        .distinct()
        .order_by("pk")
    )
    asked_ids = set(
        get_user_model()
        .objects.filter(asked, pk__in=[person.pk for person in found])
        .values_list("pk", flat=True)
    )
    for person in found:
        person.asked = person.pk in asked_ids
    return found


def message_for(entry: TransitionLog, person) -> tuple[str, str]:
    """The notification to `person` in a sentence, with what they are asked to do,
    and the address of the place to do it."""
    proposal = entry.proposal
    if person.pk == proposal.proposer_id:
        what = _("your proposal “%(title)s”") % {"title": proposal.title}
    else:
        what = f"{proposal.reference} “{proposal.title}”"
    who = entry.actor.get_full_name() or entry.actor.username if entry.actor else ""
    happened = HAPPENED.get(entry.transition)
    text = (
        happened % {"who": who, "what": what} if happened else f"{what}: {entry.label}"
    )
    link = proposal.get_absolute_url()
    if getattr(person, "asked", False) and entry.transition in ASK:
        ask, where = ASK[entry.transition]
        text = f"{text} — {ask}"
        link = _link(entry, where)
    elif entry.transition == "publish":
        link = reverse("catalog:credential", args=[proposal.pk])
    return f"{text[0].upper()}{text[1:]}"[:300], link


def announce(entry: TransitionLog) -> list[Notification]:
    """Record in-app notifications now and send the emails after the commit, so no
    email tells of a step that was rolled back."""
    people = recipients(entry)
    worded = {person.pk: message_for(entry, person) for person in people}
    created = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            proposal=entry.proposal,
            event=entry,
            message=worded[person.pk][0],
            link=worded[person.pk][1],
            action=ASKS.get(entry.transition, ""),
        )
        for person in people
    )
    # One email per person; those worded alike share a rendering. Links are made
    # absolute now, while the request that took the step is at hand.
    alike: dict[tuple[str, str], list[str]] = {}
    for person in people:
        if person.email:
            subject, link = worded[person.pk]
            alike.setdefault((subject, absolute_url(link)), []).append(person.email)
    if alike:
        transaction.on_commit(lambda: send_emails(entry, alike))
    return created


def send_emails(entry: TransitionLog, alike: dict[tuple[str, str], list[str]]) -> None:
    """Queue one email per recipient, worded for them (subject, absolute link). The
    step has already happened, so a mail server failure is retried and logged rather
    than shown as an error; the in-app notification still stands."""
    for (subject, url), addresses in alike.items():
        body = render_to_string(
            "emails/transition.txt",
            {
                "entry": entry,
                "proposal": entry.proposal,
                "subject": subject,
                "url": url,
                "office_email": settings.OFFICE_EMAIL,
            },
        )
        send_quietly(subject, body, addresses)
