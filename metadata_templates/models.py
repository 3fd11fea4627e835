from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metadata_templates.uploads import EXTENSIONS, FileType


class RevisionQuerySet(models.QuerySet):
    def history(self) -> RevisionQuerySet:
        """Revisions newest first with their authors, without the (large) content."""
        return self.select_related("author").defer("content").order_by("-number")


class Revision(models.Model):
    """One saved state of a proposal's meta-data template. Immutable: every save makes
    a new numbered revision, so any two can be compared and an old one restored."""

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="revisions",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The revision the author's editor had loaded; differs from number - 1 on a merge.
    based_on = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            # Two saves racing from the same revision cannot both become the next one.
            models.UniqueConstraint(
                fields=["proposal", "number"], name="one_revision_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.proposal_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Revisions are immutable; save a new one instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Revisions are immutable and are never deleted.")


class SubmittedDraft(models.Model):
    """A revision frozen as "Draft N" when the team submits it for review."""

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="drafts"
    )
    number = models.PositiveIntegerField()
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    # The working draft's attachments when it was submitted, frozen with it.
    attachments = models.ManyToManyField(
        "Attachment", related_name="drafts", blank=True
    )

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="one_draft_number"
            )
        ]

    def __str__(self) -> str:
        return f"Draft {self.number}"


class AnchoredCommentQuerySet(models.QuerySet):
    def open(self) -> AnchoredCommentQuerySet:
        """Comments not resolved yet."""
        return self.filter(resolved_at__isnull=True)

    def resolve(self, user) -> int:
        """Mark these comments resolved by `user`; one already resolved keeps who
        resolved it first."""
        return self.open().update(resolved_at=timezone.now(), resolved_by=user)

    def reopen(self) -> int:
        """Open these resolved comments again."""
        return self.filter(resolved_at__isnull=False).update(
            resolved_at=None, resolved_by=None
        )


class AnchoredComment(models.Model):
    """A reviewer's comment anchored to one place of a reviewed text: `field` of the
    whole (no `badge`) or of one badge; the author of the text resolves it. The
    draft review and the course mapping review both use it, so their comments are
    kept, shown (templates/includes/_comment.html) and resolved alike."""

    field = models.CharField(_("field"), max_length=40)
    badge = models.CharField(_("badge"), max_length=40, blank=True)
    body = models.TextField(_("comment"), max_length=5_000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AnchoredCommentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class ReviewCommentQuerySet(AnchoredCommentQuerySet):
    def current(self) -> ReviewCommentQuerySet:
        """What the team still works on: comments open, or resolved since the last
        submission (no draft answered them yet, so they may still be reopened)."""
        return self.filter(
            models.Q(resolved_at__isnull=True) | models.Q(answered_in__isnull=True)
        )

    def on_draft_page(self, draft: SubmittedDraft) -> ReviewCommentQuerySet:
        """What a draft's review page shows: the comments made on it, those it
        answered, and those of earlier drafts still open, so the reviewer sees
        how the draft answers the last review and may reopen an answer."""
        return self.filter(
            models.Q(draft=draft)
            | models.Q(answered_in=draft)
            | models.Q(
                draft__proposal=draft.proposal_id,
                draft__number__lt=draft.number,
                resolved_at__isnull=True,
            )
        )

    def with_thread(self) -> ReviewCommentQuerySet:
        """With their authors and their thread (replies, resolutions, reopenings),
        in a fixed number of queries. Who resolved a comment is not shown (its
        thread says who), so that user is not joined in: each join costs every
        page that lists comments, with or without any."""
        return self.select_related("author", "draft").prefetch_related(
            models.Prefetch(
                "events", queryset=CommentEvent.objects.select_related("author")
            )
        )


class ReviewComment(AnchoredComment):
    """A reviewer's comment on one field (of the credential, or of one badge) of a
    submitted draft; the team resolves it, and the next draft answers it."""

    draft = models.ForeignKey(
        SubmittedDraft, on_delete=models.CASCADE, related_name="comments"
    )
    answered_in = models.ForeignKey(
        SubmittedDraft,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_comments",
    )

    objects = ReviewCommentQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Comment on {self.field} of {self.draft}"

    @property
    def made_on(self) -> str:
        return _("on Draft %(n)d") % {"n": self.draft.number}

    @property
    def answered_by(self) -> str:
        if self.answered_in is None:
            return ""
        return _("answered in Draft %(n)d") % {"n": self.answered_in.number}


class CommentEvent(models.Model):
    """One step of a review comment's thread, with who took it and when: a reply (by
    the team or staff), or the comment being resolved or reopened."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("replied")
        RESOLVED = "resolved", _("resolved the comment")
        REOPENED = "reopened", _("reopened the comment")

    comment = models.ForeignKey(
        ReviewComment, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField(_("reply"), max_length=5_000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on comment {self.comment_id}"


class LastSeen(models.Model):
    """The newest revision a person has looked at, for "what changed since I looked"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="one_last_seen")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saw revision {self.number} of {self.proposal_id}"


class BadgeArtwork(models.Model):
    """An image the team uploaded for one badge, used instead of the generated one.
    Stored re-encoded as a 400×400 PNG: nothing of the uploaded file but its pixels
    survives, and its name is never used."""

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="artworks"
    )
    badge_key = models.CharField(max_length=40)
    image = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "badge_key"], name="one_artwork_per_badge"
            )
        ]

    def __str__(self) -> str:
        return f"Image of badge {self.badge_key} of {self.proposal_id}"


class AttachmentQuerySet(models.QuerySet):
    def listing(self) -> AttachmentQuerySet:
        """Attachments for a list, with their uploaders, without the file itself."""
        return self.select_related("uploaded_by").defer("data")

    def of_working_draft(self) -> AttachmentQuerySet:
        """Those the working draft holds now (not those only an earlier submitted
        draft keeps)."""
        return self.filter(attached_to=Attachment.Target.DRAFT, detached_at=None)

    def by_target(self) -> dict[str, list[Attachment]]:
        """Those held now, the proposal's and the working draft's, for a list (one
        query), keyed by where they are attached."""
        grouped = {target: [] for target in Attachment.Target}
        for attachment in self.listing().filter(detached_at=None):
            grouped[attachment.attached_to].append(attachment)
        return grouped


class Attachment(models.Model):
    """A file attached to a proposal's record, or to its working draft (then frozen
    with each draft submitted while the working draft holds it). Stored in the
    database, so every app server serves it; its type was recognised from its
    content when it was uploaded."""

    class Target(models.TextChoices):
        PROPOSAL = "proposal", _("the proposal")
        DRAFT = "draft", _("the working draft")

    class Kind(models.TextChoices):
        SYLLABUS = "syllabus", _("Syllabus")
        RUBRIC = "rubric", _("Rubric")
        SUPPORT_LETTER = "support_letter", _("Letter of support")
        EMPLOYER_LETTER = "employer_letter", _("Employer letter")
        OTHER = "other", _("Other")

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="attachments"
    )
    attached_to = models.CharField(
        _("attach to"), max_length=10, choices=Target.choices
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=80, choices=FileType.choices)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Removed from the working draft, but kept: a submitted draft holds it.
    detached_at = models.DateTimeField(null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def download_name(self) -> str:
        """The name it is downloaded under: the uploaded name's stem, with the
        extension of the type its content showed."""
        stem = self.name.rpartition(".")[0] or self.name
        return f"{stem}{EXTENSIONS[FileType(self.content_type)]}"
