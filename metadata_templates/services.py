"""Saving the meta-data template: every save is a new immutable revision; a save made
from an older revision is merged three-way with what was saved since, and overlapping
changes come back as conflicts instead of overwriting anyone. (Template actions live
beside their models, as team formation does in teams/services.py.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.columns import PARAMETER, column, outer_key
from metadata_templates import uploads
from metadata_templates.merge import REMOVED_BY_THEM, Conflict, merge
from metadata_templates.models import (
    Attachment,
    BadgeArtwork,
    CommentEvent,
    LastSeen,
    ReviewComment,
    Revision,
    SubmittedDraft,
)
from metadata_templates.schema import blank_badge, level_prerequisites, normalise
from proposals import freezes, policy
from proposals.freezes import Action
from proposals.models import CredentialType, Level, Notification, Proposal

# Saves racing on a database without row locks are retried against the newer revision.
SAVE_ATTEMPTS = 3
NOTICE_MAX = Notification._meta.get_field("message").max_length


@dataclass
class SaveOutcome:
    """What became of a save: a new revision, nothing to save, or conflicts to resolve
    (then `content` holds the merged draft with the editor's own values, and nothing
    was written)."""

    revision: Revision | None = None
    content: dict | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)
    current: Revision | None = None
    unchanged: bool = False

    def decisions(self) -> dict[str, str]:
        """Badges of the merged draft that the person resolving keeps or removes
        explicitly, by who removed them: those removed on one side and changed on
        the other, and those the current revision lacks (kept by an earlier
        decision, and removed again meanwhile or never saved)."""
        saved = {b["key"] for b in normalise(self.current.content)["badges"]}
        decide = {
            b["key"]: REMOVED_BY_THEM
            for b in normalise(self.content)["badges"]
            if b["key"] not in saved
        }
        decide.update({c.path[1]: c.removed_by for c in self.conflicts if c.removed_by})
        return decide


def latest(proposal: Proposal) -> Revision | None:
    return proposal.revisions.select_related("author").order_by("-number").first()


def newest_number(proposal: Proposal) -> int | None:
    """The number of the newest revision, without loading its content."""
    return (
        proposal.revisions.order_by("-number").values_list("number", flat=True).first()
    )


def initial_content(proposal: Proposal) -> dict:
    """A first draft filled from the interest form: one badge per intended level."""
    credential = {
        "title": proposal.title,
        "summary": proposal.description,
        "pathway_type": proposal.pathway_type,
        "lead_campus": proposal.campus.name,
        "target_audience": proposal.target_audience,
        "employer_partners": proposal.employer_partners,
        "language": "English",
        "credit_options": _(
            "Non-credit. Credit may be awarded through the Prior Learning Assessment "
            "and External Review processes."
        ),
    }
    levels = proposal.intended_levels or (
        list(Level.values)
        if proposal.credential_type == CredentialType.PATHWAY
        else ["1"]
    )
    names = {"macro": _("%(title)s Micro-Credential")}
    badges = [
        blank_badge(
            level,
            names.get(level, _("%(title)s Level %(level)s"))
            % {"title": proposal.title, "level": level},
        )
        for level in levels
    ]
    for badge in badges:
        badge["prerequisites"] = level_prerequisites(badges, badge["level"])
    return normalise({"credential": credential, "badges": badges})


def add_badge(proposal: Proposal, user, level: str, *, based_on: Revision):
    """Add a blank badge of `level` to the draft, preceded by default by the badges
    of the nearest lower level; returns the save's outcome and the new badge."""
    badges = normalise(based_on.content)["badges"]
    badge = blank_badge(level)
    badge["prerequisites"] = level_prerequisites(badges, level)
    content = {**based_on.content, "badges": [*badges, badge]}
    outcome = save(
        proposal, user, content, based_on=based_on.number, note=_("Added a badge")
    )
    return outcome, badge


def start_template(proposal: Proposal, user=None) -> Revision:
    """Revision 1, when development starts (kept if the template already exists)."""
    existing = latest(proposal)
    if existing is not None:
        return existing
    return Revision.objects.create(
        proposal=proposal,
        number=1,
        content=initial_content(proposal),
        author=user,
        note=_("Started from the interest form"),
    )


def save(
    proposal: Proposal, user, content: dict, *, based_on: int, note: str = ""
) -> SaveOutcome:
    """Save `content`, which the user edited starting from revision `based_on`."""
    content = normalise(content)
    for attempt in range(SAVE_ATTEMPTS):
        try:
            with transaction.atomic():
                return _save_once(proposal, user, content, based_on, note)
        except IntegrityError:
            # Another save took the next number first: merge against it and retry.
            if attempt == SAVE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _save_once(proposal, user, content, based_on, note) -> SaveOutcome:
    # Serialise saves of one proposal, and with its transitions, where the database
    # can (PostgreSQL): a save never lands after the draft was submitted.
    freezes.ensure(freezes.locked(proposal), Action.TEMPLATE)
    current = latest(proposal)
    taken = []
    if current is not None and based_on != current.number:
        base = proposal.revisions.filter(number=based_on).first()
        result = merge(base.content if base else {}, current.content, content)
        if result.conflicts:
            return SaveOutcome(
                content=result.content, conflicts=result.conflicts, current=current
            )
        content, taken = result.content, result.taken
        if taken:
            note = note or _("Merged with revision %(n)d") % {"n": current.number}
    if current is not None and normalise(current.content) == content:
        return SaveOutcome(revision=current, current=current, unchanged=True)
    revision = Revision.objects.create(
        proposal=proposal,
        number=(current.number if current else 0) + 1,
        content=content,
        author=user,
        based_on=based_on,
        note=note[:300],
    )
    mark_seen(proposal, user, revision.number)
    return SaveOutcome(revision=revision, current=revision, taken=taken)


def restore(proposal: Proposal, user, number: int) -> SaveOutcome:
    """Make an old revision's content the newest revision again."""
    old = proposal.revisions.get(number=number)
    current = latest(proposal)
    return save(
        proposal,
        user,
        old.content,
        based_on=current.number,
        note=_("Restored revision %(n)d") % {"n": number},
    )


def freeze(proposal: Proposal, user=None) -> SubmittedDraft:
    """Freeze the newest revision as the next "Draft N", with the working draft's
    attachments; resolved comments that no draft answered yet are answered by this
    one."""
    number = proposal.drafts.count() + 1
    draft = SubmittedDraft.objects.create(
        proposal=proposal, number=number, revision=latest(proposal), submitted_by=user
    )
    draft.attachments.set(proposal.attachments.of_working_draft())
    ReviewComment.objects.filter(
        draft__proposal=proposal, resolved_at__isnull=False, answered_in=None
    ).update(answered_in=draft)
    return draft


def add_comment(form, draft: SubmittedDraft, user) -> ReviewComment:
    """Save a reviewer's comment on a field of a submitted draft (a valid
    CommentForm), while the draft is under review."""
    with transaction.atomic():
        freezes.ensure(freezes.locked(draft.proposal), Action.COMMENT)
        form.instance.draft = draft
        form.instance.author = user
        return form.save()


def resolve_comment(comment: ReviewComment, user) -> None:
    """Resolve the comment, once: resolving it again records nothing."""
    with transaction.atomic():
        freezes.ensure(freezes.locked(comment.draft.proposal), Action.RESOLVE)
        if ReviewComment.objects.filter(pk=comment.pk).resolve(user):
            comment.events.create(kind=CommentEvent.Kind.RESOLVED, author=user)


def reopen_comment(comment: ReviewComment, user) -> bool:
    """Open a resolved comment again (no draft has answered it any more); False if
    it was open already."""
    with transaction.atomic():
        freezes.ensure(freezes.locked(comment.draft.proposal), Action.RESOLVE)
        if not ReviewComment.objects.filter(pk=comment.pk).reopen():
            return False
        ReviewComment.objects.filter(pk=comment.pk).update(answered_in=None)
        _tell_thread(
            comment.events.create(kind=CommentEvent.Kind.REOPENED, author=user)
        )
    return True


def reply(comment: ReviewComment, user, body: str) -> CommentEvent:
    """Add a reply to the comment's thread (ValidationError if empty, too long, or
    the proposal's state no longer takes answers to its review)."""
    body = body.strip()
    limit = CommentEvent._meta.get_field("body").max_length
    if not body:
        raise ValidationError(_("Write a reply first."))
    if len(body) > limit:
        raise ValidationError(
            _("Keep a reply to at most %(n)d characters (it has %(len)d).")
            % {"n": limit, "len": len(body)}
        )
    with transaction.atomic():
        freezes.ensure(freezes.locked(comment.draft.proposal), Action.RESOLVE)
        event = comment.events.create(
            kind=CommentEvent.Kind.REPLY, author=user, body=body
        )
        _tell_thread(event)
    return event


def _tell_thread(event: CommentEvent) -> None:
    """Tell the people of a comment's thread (its author, whoever replied, the
    proposer) who may still read the record that someone replied or reopened it;
    the link opens the thread on the draft's review page."""
    comment = event.comment
    proposal = comment.draft.proposal
    people = {comment.author_id, proposal.proposer_id}
    people |= set(comment.events.values_list("author_id", flat=True))
    people -= {None, event.author_id}
    readers = (
        get_user_model()
        .objects.filter(policy.record_readers(proposal), pk__in=people, is_active=True)
        .distinct()
        .order_by("pk")
    )
    message = {
        CommentEvent.Kind.REPLY: _(
            "%(who)s replied to a review comment on Draft %(n)d of “%(title)s”."
        ),
        CommentEvent.Kind.REOPENED: _(
            "%(who)s reopened a review comment on Draft %(n)d of “%(title)s”."
        ),
    }[event.kind] % {
        "who": event.author.get_full_name() or event.author.get_username(),
        "n": comment.draft.number,
        "title": proposal.title,
    }
    link = (
        reverse("drafts:draft", args=[proposal.pk, comment.draft.number])
        + f"#comment-{comment.pk}"
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=person,
            proposal=proposal,
            message=Truncator(message).chars(NOTICE_MAX),
            link=link,
        )
        for person in readers
    )


def open_comment_ids(proposal: Proposal) -> list[int]:
    """The review comments of the proposal that nobody has resolved."""
    return list(
        ReviewComment.objects.filter(draft__proposal=proposal)
        .open()
        .values_list("pk", flat=True)
    )


def editor_columns(user) -> dict[str, RawSQL]:
    """What the editor asks of its proposal, as columns of the query that reads it
    (get_proposal_for_user): the revision the user saw last (mark_seen), whether
    the working draft holds attachments and whether any review comment is still
    worked on (usually neither, and each list would be a query of its own)."""
    return {
        "seen_number": column(_seen_by_viewer, user.pk, output_field=IntegerField()),
        "has_draft_attachments": column(
            _draft_attachments, output_field=BooleanField(), template="EXISTS {}"
        ),
        "has_current_comments": column(
            _current_comments, output_field=BooleanField(), template="EXISTS {}"
        ),
    }


def _seen_by_viewer() -> QuerySet:
    return LastSeen.objects.filter(proposal=outer_key(Proposal), user=PARAMETER).values(
        "number"
    )


def _draft_attachments() -> QuerySet:
    return (
        Attachment.objects.filter(proposal=outer_key(Proposal))
        .of_working_draft()
        .order_by()
        .values("pk")
    )


def _current_comments() -> QuerySet:
    return (
        ReviewComment.objects.filter(draft__proposal=outer_key(Proposal))
        .current()
        .order_by()
        .values("pk")
    )


def draft_attachments(proposal: Proposal) -> QuerySet | list:
    """The working draft's attachments, for a list (none asked for when the
    proposal was read knowing there are none: editor_columns)."""
    if getattr(proposal, "has_draft_attachments", True) is False:
        return []
    return proposal.attachments.listing().of_working_draft()


def mark_seen(proposal: Proposal, user, number: int) -> int | None:
    """Record that the user has seen revision `number`; return what they saw before."""
    if not user or not user.is_authenticated:
        return None
    if hasattr(proposal, "seen_number"):
        seen = proposal.seen_number
    else:
        seen = (
            LastSeen.objects.filter(user=user, proposal=proposal)
            .values_list("number", flat=True)
            .first()
        )
    if seen is None:
        try:
            with transaction.atomic():
                LastSeen.objects.create(user=user, proposal=proposal, number=number)
        except IntegrityError:
            # The same person opened the draft twice at once, or since `proposal`
            # was read: one record is enough, moved on to `number`.
            _see(proposal, user, number)
        return None
    if number > seen:
        _see(proposal, user, number)
    return seen


def _see(proposal: Proposal, user, number: int) -> None:
    LastSeen.objects.filter(user=user, proposal=proposal, number__lt=number).update(
        number=number
    )


def set_artwork(proposal: Proposal, badge_key: str, data: bytes, user) -> BadgeArtwork:
    """Use an uploaded image for one badge of the draft (ValidationError if the badge
    is unknown or the file is not a usable PNG or JPEG)."""
    current = latest(proposal)
    keys = (
        {b["key"] for b in normalise(current.content)["badges"]} if current else set()
    )
    if badge_key not in keys:
        raise ValidationError(_("That badge is not in the draft."))
    image = uploads.artwork_png(data)
    with transaction.atomic():
        freezes.ensure(freezes.locked(proposal), Action.ARTWORK)
        artwork, _created = BadgeArtwork.objects.update_or_create(
            proposal=proposal,
            badge_key=badge_key,
            defaults={
                "image": image,
                "uploaded_by": user,
                "uploaded_at": timezone.now(),
            },
        )
    return artwork


def remove_artwork(proposal: Proposal, badge_key: str) -> None:
    """Go back to the generated image."""
    with transaction.atomic():
        freezes.ensure(freezes.locked(proposal), Action.ARTWORK)
        BadgeArtwork.objects.filter(proposal=proposal, badge_key=badge_key).delete()


# What each part's attachments change with: the proposal's with its record, the
# working draft's with the template.
ATTACHMENT_ACTIONS = {
    Attachment.Target.PROPOSAL: Action.ATTACH,
    Attachment.Target.DRAFT: Action.TEMPLATE,
}


def add_attachment(proposal: Proposal, form, user) -> Attachment:
    """Store the file of a valid AttachmentForm, if the proposal's state still lets
    its part change (ValidationError with the reason otherwise)."""
    attachment = form.save(commit=False)
    with transaction.atomic():
        freezes.ensure(
            freezes.locked(proposal), ATTACHMENT_ACTIONS[attachment.attached_to]
        )
        attachment.proposal = proposal
        attachment.name = form.stored_name()
        attachment.content_type = form.file_type
        attachment.size = len(form.file_data)
        attachment.data = form.file_data
        attachment.uploaded_by = user
        attachment.save()
    return attachment


def remove_attachment(attachment: Attachment) -> None:
    """Remove an attachment while its part may change. One that a submitted draft
    holds stays with that draft and only leaves the working draft; any other is
    deleted."""
    with transaction.atomic():
        freezes.ensure(
            freezes.locked(attachment.proposal),
            ATTACHMENT_ACTIONS[attachment.attached_to],
        )
        if attachment.drafts.exists():
            Attachment.objects.filter(pk=attachment.pk).update(
                detached_at=timezone.now()
            )
        else:
            Attachment.objects.filter(pk=attachment.pk).delete()
