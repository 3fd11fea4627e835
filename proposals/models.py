from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count, Max, Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, Transition, transition
from django_fsm.signals import post_transition

from accounts.columns import column, outer_key
from proposals import hooks, permissions, policy

if TYPE_CHECKING:
    from teams.models import Team


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_TRIAGE = "in_triage", _("In triage")
    TEAM_FORMING = "team_forming", _("Team forming")
    DRAFTING = "drafting", _("Drafting")
    UNDER_REVIEW = "under_review", _("Under review")
    COMMITTEE_REVIEW = "committee_review", _("Committee review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")
    DECLINED = "declined", _("Declined")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The path a successful proposal walks; the stepper draws it.
MAIN_PATH = (
    State.SUBMITTED,
    State.IN_TRIAGE,
    State.TEAM_FORMING,
    State.DRAFTING,
    State.UNDER_REVIEW,
    State.COMMITTEE_REVIEW,
    State.APPROVED,
    State.PUBLISHED,
)
TERMINAL_STATES = (State.DECLINED, State.REJECTED, State.WITHDRAWN, State.RETIRED)
# A proposal may be withdrawn up to the committee's decision, never after.
WITHDRAWABLE = MAIN_PATH[: MAIN_PATH.index(State.APPROVED)]
# Efforts that are over and so never offered as "join this instead".
ABANDONED_STATES = (State.DECLINED, State.WITHDRAWN)
PUBLIC_STATES = (State.PUBLISHED, State.RETIRED)
# Where the office's own step comes next: triage, review and publication.
STAFF_ACTION_STATES = (
    State.SUBMITTED,
    State.IN_TRIAGE,
    State.UNDER_REVIEW,
    State.APPROVED,
)
# Exports answer from approval on (issuing platforms are set up before the launch).
EXPORTED_STATES = (State.APPROVED, *PUBLIC_STATES)
BUTTON_ORDER = {"warning": 1, "danger": 2, "outline-danger": 3}


class CredentialType(models.TextChoices):
    PATHWAY = "pathway", _("UMS pathway (Levels 1–3 and a stacked macro-badge)")
    STANDALONE = "standalone", _("Stand-alone badge")


class PathwayType(models.TextChoices):
    WORKFORCE = "workforce", _("Workforce development")
    LIFELONG = "lifelong", _("Lifelong learning")


class Level(models.TextChoices):
    LEVEL_1 = "1", _("Level 1 – Introduction and foundation")
    LEVEL_2 = "2", _("Level 2 – Training and practice")
    LEVEL_3 = "3", _("Level 3 – Application and feedback")
    MACRO = "macro", _("Stacked macro-badge")


def _team_is_confirmed(proposal: Proposal) -> bool:
    return not proposal.team_problems()


def _ready_for_review(proposal: Proposal) -> bool:
    return not proposal.submission_problems()


def _round_approved(proposal: Proposal) -> bool:
    return not proposal.approve_problems()


def _exports_valid(proposal: Proposal) -> bool:
    return not proposal.publish_problems()


def _round_rejected(proposal: Proposal) -> bool:
    return not proposal.reject_problems()


def _round_returned(proposal: Proposal) -> bool:
    return not proposal.return_for_revision_problems()


def _require_note(note: str, message: str) -> None:
    if not note.strip():
        raise ValidationError({"note": message})


class NamedTransitionsMixin:
    """For a model whose FSM field is `state`: its transitions looked up by name."""

    @classmethod
    def transition_named(cls, name: str) -> Transition | None:
        """The workflow transition called `name`, or None for anything else."""
        for candidate in cls._meta.get_field("state").get_all_transitions(cls):
            if candidate.name == name:
                return candidate
        return None


def _meetings_of_proposal() -> models.QuerySet:
    team = Proposal._meta.get_field("team").related_model
    meetings = team._meta.get_field("meetings").related_model
    return (
        meetings.objects.filter(team__proposal=outer_key(Proposal))
        .order_by()
        .annotate(logged=models.Func("pk", function="COUNT"))
        .values("logged")
    )


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        """Proposals whose record the user may open, as the policy decides: staff
        and the committee every one, a proposer their own, team members their
        team's. Published ones are no exception: the public sees them in the
        catalog."""
        return self.filter(policy.records_visible_to(user))

    def with_meetings_logged(self) -> ProposalQuerySet:
        """With the number of meetings each team logged, read in the same query
        (meeting_problems asks no more)."""
        return self.annotate(
            meetings_logged=column(
                _meetings_of_proposal,
                output_field=models.IntegerField(),
                template="COALESCE({}, 0)",
            )
        )

    def for_list(self) -> ProposalQuerySet:
        """What list pages render, in a fixed number of queries, newest activity
        first."""
        return (
            self.select_related("campus", "proposer")
            .annotate(last_activity=Max("transitions__created_at"))
            .order_by("-last_activity", "-pk")
        )

    def on_teams_of(self, user) -> ProposalQuerySet:
        """Proposals whose development team the user sits on."""
        return self.filter(team__memberships__user=user)

    def awaiting_triage(self) -> ProposalQuerySet:
        """New interest forms the office has not yet accepted or declined."""
        return self.filter(state__in=[State.SUBMITTED, State.IN_TRIAGE])

    def needing_staff_action(self) -> ProposalQuerySet:
        """Proposals waiting on the office: new interest forms, drafts to review and
        approved credentials to publish (the staff queue's first tab)."""
        return self.filter(state__in=STAFF_ACTION_STATES)

    def awaiting_review(self) -> ProposalQuerySet:
        """Meta-data drafts submitted by a team and waiting for staff review."""
        return self.filter(state=State.UNDER_REVIEW)

    def awaiting_decision(self) -> ProposalQuerySet:
        """Proposals the Steering Committee has to decide on."""
        return self.filter(state=State.COMMITTEE_REVIEW)

    def state_counts(self) -> dict[str, int]:
        """How many proposals are in each state, for the queue's summary."""
        counts = dict(
            self.order_by().values_list("state").annotate(n=models.Count("pk"))
        )
        counts = {state: counts.get(state, 0) for state in State.values}
        counts["needs_action"] = sum(counts[state] for state in STAFF_ACTION_STATES)
        counts["all"] = sum(counts[state] for state in State.values)
        return counts

    def search(self, text: str) -> ProposalQuerySet:
        """Proposals whose title contains every word of `text`."""
        query = Q()
        for word in text.split():
            query &= Q(title__icontains=word)
        return self.filter(query)


class Proposal(NamedTransitionsMixin, ConcurrentTransitionMixin, models.Model):
    """A micro-credential idea, from its interest form to publication."""

    state = FSMField(
        _("state"), default=State.SUBMITTED, choices=State.choices, protected=True
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("proposer account"),
    )
    proposer_name = models.CharField(_("your name"), max_length=150)
    proposer_email = models.EmailField(_("your email"))
    proposer_phone = models.CharField(_("phone"), max_length=40, blank=True)
    campus = models.ForeignKey(
        "teams.Campus",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("campus"),
    )
    department = models.CharField(_("department or unit"), max_length=200, blank=True)
    title = models.CharField(_("proposed title"), max_length=200)
    credential_type = models.CharField(
        _("kind of micro-credential"),
        max_length=20,
        choices=CredentialType.choices,
        default=CredentialType.PATHWAY,
    )
    pathway_type = models.CharField(
        _("pathway type"), max_length=20, choices=PathwayType.choices
    )
    description = models.TextField(_("description"), max_length=5_000)
    target_audience = models.TextField(_("target audience"), max_length=2_000)
    intended_levels = models.JSONField(_("intended levels"), default=list)
    employer_partners = models.TextField(
        _("employer or industry partners"), max_length=2_000, blank=True
    )
    related_programs = models.TextField(
        _("related courses or programs"), max_length=2_000, blank=True
    )
    unique_to_campus = models.BooleanField(
        _("This idea is unique to my campus"), default=False
    )
    uniqueness_reason = models.TextField(
        _("why it is unique"), max_length=2_000, blank=True
    )
    seeking_collaborators = models.BooleanField(
        _("I would welcome collaborators from other campuses"), default=True
    )
    target_start = models.CharField(_("hoped-for launch"), max_length=100, blank=True)
    issuer = models.ForeignKey(
        "credentials.Issuer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("issuer"),
        help_text=_("Empty: the default issuer, set when the credential is approved."),
    )
    additional_info = models.TextField(_("anything else"), max_length=2_000, blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Kept on the row (set by every transition) so that the action queues can list
    # the longest-waiting proposals first without reading each one's history.
    state_changed_at = models.DateTimeField(
        _("in this state since"), default=timezone.now, editable=False
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "campus"]),
            models.Index(fields=["state", "state_changed_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """The office's reference, e.g. MC-2026-0042, quoted in emails and on calls."""
        return f"MC-{self.created_at:%Y}-{self.pk:04d}"

    @property
    def kind_label(self) -> str:
        """The kind of credential in two words, for lists."""
        if self.credential_type == CredentialType.PATHWAY:
            return str(_("UMS pathway"))
        return str(_("Stand-alone badge"))

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    def get_intended_levels_display(self) -> list[str]:
        labels = dict(Level.choices)
        return [labels[level] for level in self.intended_levels if level in labels]

    def team_or_none(self) -> Team | None:
        """The development team, once the proposal has been accepted."""
        try:
            return self.team
        # Team.DoesNotExist, named through its base: teams/ sits above proposals/.
        except ObjectDoesNotExist:
            return None

    def team_problems(self) -> list[str]:
        """What keeps the team from being confirmed, each with what to do about it."""
        team = self.team_or_none()
        if team is None:
            return [str(_("No development team yet: accept the proposal first."))]
        problems = []
        composition = team.composition()
        if not composition["leads"]:
            problems.append(str(_("Choose a team lead on the team page.")))
        needed = settings.TEAM_MIN_CAMPUSES
        campuses = composition["campuses"]
        if campuses < needed:
            problems.append(
                str(
                    _(
                        "Campuses on the team: %(have)d of the %(need)d needed. Invite "
                        "faculty from another campus, or open a call for collaborators."
                    )
                    % {"have": campuses, "need": needed}
                )
            )
        return problems

    def meeting_problems(self) -> list[str]:
        """What the team must log before it may submit a draft."""
        logged = getattr(self, "meetings_logged", None)
        if logged is None:
            # One query rather than the team's and then its meetings': no team yet
            # counts none.
            logged = Proposal.objects.filter(pk=self.pk).aggregate(
                logged=Count("team__meetings")
            )["logged"]
        needed = settings.TEAM_MIN_MEETINGS
        if logged >= needed:
            return []
        return [
            str(
                _(
                    "Team meetings logged: %(have)d of the %(need)d needed before a "
                    "draft is submitted. Log them on the team page."
                )
                % {"have": logged, "need": needed}
            )
        ]

    def submission_problems(self) -> list[str]:
        """What keeps the team from submitting its draft: meetings, and what the
        template's side checks (a draft that passes the framework)."""
        return self.meeting_problems() + [
            problem for check in hooks.submission_checks for problem in check(self)
        ]

    def decision_problems(self, outcome: str) -> list[str]:
        """Empty when the latest voting round was closed with this outcome: the only
        way the committee's decision reaches the proposal."""
        latest = self.rounds.order_by("-opened_at", "-pk").first()
        if latest and latest.closed_at and latest.outcome == outcome:
            return []
        return [str(_("Decided by closing the committee's voting round."))]

    def approve_problems(self) -> list[str]:
        return self.decision_problems("approve")

    def reject_problems(self) -> list[str]:
        return self.decision_problems("reject")

    def return_for_revision_problems(self) -> list[str]:
        return self.decision_problems("return_for_revision")

    def publish_problems(self) -> list[str]:
        """What keeps an approved credential out of the catalog, as the publishing
        side reports it (an issuer, exports that pass the Open Badges checks)."""
        return [
            problem for check in hooks.publication_checks for problem in check(self)
        ]

    def transition_choices(
        self, user
    ) -> tuple[list[Transition | Shortcut], list[tuple[Transition, list[str]]]]:
        """What this user may do from here: the transitions available now (the action
        buttons, the way forward first, those that end or reverse the proposal last),
        and those blocked by an unmet condition, with what is missing, so the page
        can say so instead of hiding the button. Each condition is evaluated once.
        A shortcut comes first when its first step is available."""
        available, blocked = [], []
        for candidate in self.get_all_state_transitions():
            if candidate.source != self.state or not candidate.has_perm(self, user):
                continue
            checks = candidate.custom.get("checks")
            problems = getattr(self, checks)() if checks else []
            if problems:
                # Decisions come from the voting round's page, not from a button here.
                if not candidate.custom.get("via_round"):
                    blocked.append((candidate, problems))
            # A transition's "checks" spell out its conditions; the rest are evaluated.
            elif checks or all(condition(self) for condition in candidate.conditions):
                available.append(candidate)
        available.sort(key=lambda t: BUTTON_ORDER.get(t.custom.get("style"), 0))
        names = {candidate.name for candidate in available}
        available[:0] = [
            shortcut
            for shortcut in SHORTCUTS.values()
            if shortcut.steps[0] in names and shortcut.has_perm(self, user)
        ]
        return available, blocked

    def stepper(self, ended_after: str | None = None) -> list[dict]:
        """The main path with each step marked done, current or upcoming. A proposal
        that left the path (declined, withdrawn, rejected) shows where it left it."""
        if self.state in MAIN_PATH:
            reached = MAIN_PATH.index(self.state)
            current = reached
        else:
            last = ended_after if ended_after in MAIN_PATH else MAIN_PATH[0]
            reached = MAIN_PATH.index(last)
            current = None
            if self.state == State.RETIRED:
                reached = len(MAIN_PATH) - 1
        return [
            {
                "state": step,
                "label": step.label,
                "status": "current"
                if index == current
                else ("done" if index <= reached else "upcoming"),
            }
            for index, step in enumerate(MAIN_PATH)
        ]

    # The workflow. Each transition only changes fields; approvals.services.perform
    # checks permission, saves, logs and notifies. Conditions owned by later parts of
    # the product (team, draft, votes) are added to these transitions as they land.

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.IN_TRIAGE,
        permission=permissions.staff_only,
        custom={
            "label": _("Start triage"),
            "help_text": _("Take the interest form and contact the proposer."),
            "style": "primary",
        },
    )
    def triage(self, *, by, note: str = "") -> None:
        """Staff pick up a new interest form to contact the proposer."""

    @transition(
        field=state,
        source=[State.SUBMITTED, State.IN_TRIAGE],
        target=State.DECLINED,
        permission=permissions.staff_only,
        custom={
            "label": _("Decline"),
            "help_text": _("The proposer reads the reason you give."),
            "style": "danger",
            "note_required": True,
        },
    )
    def decline(self, *, by, note: str = "") -> None:
        """Staff decline an interest form, always with a reason for the proposer."""
        _require_note(note, _("Give the proposer a reason for declining."))

    @transition(
        field=state,
        source=State.IN_TRIAGE,
        target=State.TEAM_FORMING,
        permission=permissions.staff_only,
        custom={
            "label": _("Accept and form a team"),
            "help_text": _("The office will seek collaborators across the campuses."),
            "style": "success",
        },
    )
    def accept(self, *, by, note: str = "") -> None:
        """Staff accept the idea; collaborators are sought and a team is formed."""

    @transition(
        field=state,
        source=State.TEAM_FORMING,
        target=State.DRAFTING,
        conditions=[_team_is_confirmed],
        permission=permissions.staff_or_lead,
        custom={
            "checks": "team_problems",
            "label": _("Start development"),
            "help_text": _("The team begins the meta-data template."),
            "style": "primary",
        },
    )
    def start_development(self, *, by, note: str = "") -> None:
        """The confirmed team starts drafting the meta-data template."""

    @transition(
        field=state,
        source=State.DRAFTING,
        target=State.UNDER_REVIEW,
        conditions=[_ready_for_review],
        permission=permissions.development_team,
        custom={
            "checks": "submission_problems",
            "freezes_revision": True,
            # The confirmation lists the review comments still open.
            "open_comments": "list",
            "label": _("Submit draft for review"),
            "help_text": _("The office reviews the draft against the UMS framework."),
            "style": "primary",
        },
    )
    def submit_draft(self, *, by, note: str = "") -> None:
        """The development team hands its meta-data draft to the office for review."""

    @transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.DRAFTING,
        permission=permissions.staff_only,
        custom={
            "label": _("Request revisions"),
            "help_text": _("The team reads your comments and revises the draft."),
            "style": "warning",
            "note_required": True,
        },
    )
    def request_revisions(self, *, by, note: str = "") -> None:
        """Staff send the draft back to the team, with comments to act on."""
        _require_note(note, _("Tell the team what to revise."))

    @transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.COMMITTEE_REVIEW,
        permission=permissions.staff_only,
        custom={
            "sets_deadline": True,
            # Forwarding with comments still open needs their explicit confirmation.
            "open_comments": "confirm",
            "label": _("Forward to the Steering Committee"),
            "help_text": _("The committee is asked to decide on this draft."),
            "style": "success",
        },
    )
    def forward_to_committee(self, *, by, note: str = "") -> None:
        """Staff judge the draft ready and put it before the Steering Committee."""

    @transition(
        field=state,
        source=State.COMMITTEE_REVIEW,
        target=State.APPROVED,
        conditions=[_round_approved],
        permission=permissions.chair_only,
        custom={
            "checks": "approve_problems",
            "via_round": True,
            "label": _("Approve"),
            "help_text": _("Record the committee's approval."),
            "style": "success",
        },
    )
    def approve(self, *, by, note: str = "") -> None:
        """The chair records the committee's decision to approve."""

    @transition(
        field=state,
        source=State.COMMITTEE_REVIEW,
        target=State.REJECTED,
        conditions=[_round_rejected],
        permission=permissions.chair_only,
        custom={
            "checks": "reject_problems",
            "via_round": True,
            "label": _("Reject"),
            "help_text": _("Record the committee's rejection and its reasons."),
            "style": "danger",
            "note_required": True,
        },
    )
    def reject(self, *, by, note: str = "") -> None:
        """The chair records the committee's rejection, with its reasons."""
        _require_note(note, _("Give the committee's reasons for rejecting."))

    @transition(
        field=state,
        source=State.COMMITTEE_REVIEW,
        target=State.DRAFTING,
        conditions=[_round_returned],
        permission=permissions.chair_only,
        custom={
            "checks": "return_for_revision_problems",
            "via_round": True,
            "label": _("Return for revision"),
            "help_text": _("The team revises the draft with the committee's comments."),
            "style": "warning",
            "note_required": True,
        },
    )
    def return_for_revision(self, *, by, note: str = "") -> None:
        """The chair sends the draft back to the team with the committee's comments."""
        _require_note(note, _("Give the team the committee's comments."))

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.PUBLISHED,
        conditions=[_exports_valid],
        permission=permissions.staff_only,
        custom={
            "checks": "publish_problems",
            "label": _("Publish"),
            "help_text": _("The credential appears in the public catalog."),
            "style": "success",
        },
    )
    def publish(self, *, by, note: str = "") -> None:
        """Staff publish an approved credential to the catalog."""

    @transition(
        field=state,
        source=State.PUBLISHED,
        target=State.RETIRED,
        permission=permissions.staff_only,
        custom={
            "label": _("Retire"),
            "help_text": _("The credential is no longer offered."),
            "style": "danger",
            "note_required": True,
        },
    )
    def retire(self, *, by, note: str = "") -> None:
        """Staff retire a published credential, with the reason."""
        _require_note(note, _("Say why the credential is retired."))

    @transition(
        field=state,
        source=list(WITHDRAWABLE),
        target=State.WITHDRAWN,
        permission=permissions.staff_or_proposer,
        custom={
            "label": _("Withdraw"),
            "help_text": _("The proposal stops here; it cannot be resumed."),
            "style": "outline-danger",
            "note_required": True,
        },
    )
    def withdraw(self, *, by, note: str = "") -> None:
        """The proposer or staff stop the proposal before the committee decides."""
        _require_note(note, _("Say why the proposal is withdrawn."))


@dataclasses.dataclass(frozen=True)
class Shortcut:
    """Several transitions confirmed together from the proposal page, each still
    performed, logged and checked as itself. Duck-types a transition for the
    confirmation page (name, target, custom, has_perm)."""

    name: str
    steps: tuple[str, ...]
    custom: dict

    @property
    def target(self) -> str:
        return Proposal.transition_named(self.steps[-1]).target

    def has_perm(self, proposal: Proposal, user) -> bool:
        return all(
            Proposal.transition_named(step).has_perm(proposal, user)
            for step in self.steps
        )


SHORTCUTS = {
    shortcut.name: shortcut
    for shortcut in [
        Shortcut(
            "triage_and_accept",
            ("triage", "accept"),
            {
                "label": _("Triage and accept"),
                "help_text": _(
                    "Accept the interest form straight away: the timeline records "
                    "both steps, and the team starts forming."
                ),
                "style": "success",
            },
        )
    ]
}


def action_named(name: str) -> Transition | Shortcut | None:
    """The transition or shortcut a confirmation page offers under `name`."""
    return Proposal.transition_named(name) or SHORTCUTS.get(name)


class TransitionLog(models.Model):
    """One step of a proposal's history: who moved it, when, from where to where,
    and why."""

    # The entry of a credential imported, already published, from a catalog table.
    IMPORTED = "imported"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="transitions"
    )
    # Empty for the entry that records the interest form arriving.
    transition = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=20, choices=State.choices, blank=True)
    target = models.CharField(max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="transition_logs",
    )
    note = models.TextField(max_length=5_000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.source or '—'} → {self.target}"

    @property
    def label(self) -> str:
        """What happened, in words: the transition's label or the arrival."""
        if not self.transition:
            return str(_("Interest form submitted"))
        if self.transition == self.IMPORTED:
            return str(_("Imported from an existing catalog"))
        meta = Proposal.transition_named(self.transition)
        return str(meta.custom["label"]) if meta else self.transition


class InterestFormEdit(models.Model):
    """One edit of the interest form by its proposer before acceptance: who, when,
    and what each changed field said before."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="interest_edits"
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # Field name -> the earlier value as it was shown (labels, not codes).
    before = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Interest form of {self.proposal_id} edited at {self.at}"

    @property
    def changes(self) -> list[tuple[str, str]]:
        """(field label, earlier value) of each field the edit changed."""
        return [
            (str(Proposal._meta.get_field(name).verbose_name), value)
            for name, value in self.before.items()
        ]


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        """Notifications the recipient has not opened or marked read."""
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one person about something that happened to a proposal."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="notifications"
    )
    # The workflow step it tells of; empty for team events (invitations, requests).
    event = models.ForeignKey(
        TransitionLog,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    message = models.CharField(max_length=300)
    # The freezes.Action it asks the recipient to take ("" when it only informs):
    # once the proposal's state freezes that action, the notification is done.
    action = models.CharField(max_length=20, blank=True)
    # Where to go to act on it; the proposal page when empty.
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message

    def get_absolute_url(self) -> str:
        return self.link or self.proposal.get_absolute_url()


@receiver(post_transition, sender=Proposal)
def _entered_state(sender, instance: Proposal, source, target, **kwargs) -> None:
    if source != target:
        instance.state_changed_at = timezone.now()
