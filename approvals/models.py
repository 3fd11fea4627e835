from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class TermQuerySet(models.QuerySet):
    def current(self, on=None) -> TermQuerySet:
        """Terms in force on a day (today by default): their holders vote."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on)
        )


class CommitteeTerm(models.Model):
    """A seat on the Steering Committee for a period. Past members keep their votes
    and comments but no longer vote."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        ACTING_CHAIR = "acting_chair", _("Acting chair")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="committee_terms",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="term_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} from {self.starts_on}"


class RoundQuerySet(models.QuerySet):
    def open(self) -> RoundQuerySet:
        """Rounds still collecting votes: the committee's agenda."""
        return self.filter(closed_at__isnull=True)


class VotingRound(models.Model):
    """The committee's vote on one submitted draft of a proposal."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        RETURN = "return_for_revision", _("Returned for revision")
        # The proposal left committee review some other way (withdrawn, say).
        VOID = "void", _("Closed without a decision")

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="rounds"
    )
    draft = models.ForeignKey(
        "metadata_templates.SubmittedDraft",
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    opened_at = models.DateTimeField(default=timezone.now)
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    deadline = models.DateField(_("voting deadline"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    decision_note = models.TextField(
        _("the committee's comments"), max_length=5_000, blank=True
    )
    # The count when the chair closed the round: later changes to the committee's
    # membership must not rewrite a recorded decision.
    final_tally = models.JSONField(null=True, blank=True, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(closed_at__isnull=True),
                name="one_open_round_per_proposal",
            )
        ]

    def __str__(self) -> str:
        return f"Round on {self.proposal} (Draft {self.draft.number})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()

    def time_left(self, today=None) -> str:
        """The voting deadline in words relative to today: "3 days left", "due
        today", "2 days overdue"; empty without a deadline."""
        if self.deadline is None:
            return ""
        days = (self.deadline - (today or timezone.localdate())).days
        if days > 0:
            return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
        if days == 0:
            return gettext("due today")
        return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}


class Vote(models.Model):
    """A member's current vote in a round; every change is kept in VoteChange."""

    class Choice(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        RETURN = "return", _("Return for revision")
        ABSTAIN = "abstain", _("Abstain")

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    choice = models.CharField(max_length=10, choices=Choice.choices)
    comment = models.TextField(max_length=5_000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["updated_at", "pk"]
        constraints = [
            # One vote per member per round, whatever the application does.
            models.UniqueConstraint(
                fields=["round", "voter"], name="one_vote_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voter} votes {self.choice}"


class VoteChange(models.Model):
    """The record of every vote cast or changed."""

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="changes"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    choice = models.CharField(max_length=10, choices=Vote.Choice.choices)
    comment = models.TextField(max_length=5_000, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.voter} → {self.choice} at {self.at}"


class Recusal(models.Model):
    """A member's declared conflict of interest: they do not vote in this round."""

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="recusals"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("conflict"), max_length=2_000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_recusal")
        ]

    def __str__(self) -> str:
        return f"{self.member} recused"


class RoundComment(models.Model):
    """The committee's discussion on a round's page."""

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5_000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.round}"


class VoteReminder(models.Model):
    """A reminder emailed about a round, recorded so that each is sent once however
    often (or however concurrently) the daily command runs."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Vote due soon")
        OVERDUE = "overdue", _("Deadline passed")

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "recipient", "kind"], name="one_reminder_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}"
