from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CampusQuerySet(models.QuerySet):
    def active(self) -> "CampusQuerySet":
        """Campuses a proposer may choose today; retired ones stay for history."""
        return self.filter(is_active=True)


class Campus(models.Model):
    """A university of the system (or its law school) where proposals come from."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    objects = CampusQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("campuses")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    LEAD = "lead", _("Team lead")
    FACULTY = "faculty", _("Faculty subject-matter expert")
    DESIGNER = "designer", _("Instructional designer")
    EMPLOYER = "employer", _("Employer / industry partner")
    LIAISON = "liaison", _("Staff liaison")


class Team(models.Model):
    """The development team of one proposal, from several campuses and employers."""

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="team"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Team of {self.proposal}"

    def composition(self) -> dict[str, int]:
        """How many leads the team has and how many campuses its members come from,
        in one query."""
        return self.memberships.aggregate(
            leads=models.Count("pk", filter=models.Q(role=Role.LEAD)),
            campuses=models.Count("campus", distinct=True),
        )


class MembershipQuerySet(models.QuerySet):
    def for_page(self) -> "MembershipQuerySet":
        """Members with their accounts and campuses, the lead first."""
        return self.select_related("user", "campus").order_by(
            models.Case(
                models.When(role=Role.LEAD, then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
            "joined_at",
            "pk",
        )


class Membership(models.Model):
    """A person on a development team, in a role, for a campus or an employer."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    campus = models.ForeignKey(
        Campus,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("campus"),
    )
    organisation = models.CharField(
        _("employer or organisation"), max_length=200, blank=True
    )
    joined_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], name="one_membership_per_team"
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(role="lead"),
                name="one_lead_per_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_lead(self) -> bool:
        return self.role == Role.LEAD

    @property
    def affiliation(self) -> str:
        """Where the member comes from: their campus, or their employer."""
        return str(self.campus or self.organisation or "")


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        """Invitations still waiting for an answer and not yet expired."""
        return self.filter(
            status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
        )

    def expire_overdue(self) -> int:
        """Record every pending invitation past its date as expired; return how many."""
        return self.filter(
            status=Invitation.Status.PENDING, expires_at__lte=timezone.now()
        ).update(status=Invitation.Status.EXPIRED, responded_at=timezone.now())


class Invitation(models.Model):
    """An emailed invitation to join a team, with a single-use token that expires.
    Only a hash of the token is stored, so the database cannot be used to accept it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    campus = models.ForeignKey(
        Campus,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campus"),
    )
    organisation = models.CharField(
        _("employer or organisation"), max_length=200, blank=True
    )
    message = models.TextField(_("personal message"), max_length=2_000, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.team}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


class CollaboratorCallQuerySet(models.QuerySet):
    def open_for(self, user, states) -> "CollaboratorCallQuerySet":
        """Open calls, of proposals in `states` (those still seeking collaborators),
        whose team the user is not already on."""
        return (
            self.filter(closed_at=None, team__proposal__state__in=states)
            .exclude(team__memberships__user=user)
            .select_related("team__proposal__campus")
        )


class CollaboratorCall(models.Model):
    """An open call for collaborators that faculty on every campus see while a team
    is being formed (seed 001: "UMS Collaborators across the system will be sought")."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="calls")
    sought = models.TextField(
        _("who is sought"),
        max_length=2_000,
        help_text=_(
            "e.g. Nursing faculty from a northern campus; an instructional designer."
        ),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CollaboratorCallQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"Call for {self.team.proposal}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class JoinRequest(models.Model):
    """Someone's request to join a team in answer to a call."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        # The team stopped taking members before anyone answered.
        CLOSED = "closed", _("Closed unanswered")

    call = models.ForeignKey(
        CollaboratorCall, on_delete=models.CASCADE, related_name="requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    campus = models.ForeignKey(
        Campus,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("your campus"),
    )
    organisation = models.CharField(
        _("or your employer or organisation"), max_length=200, blank=True
    )
    message = models.TextField(_("what you would bring"), max_length=2_000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "user"], name="one_request_per_call"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.call.team}"


class EmployerInput(models.Model):
    """What an employer or industry partner told the team, and when."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="employer_inputs"
    )
    person = models.CharField(_("who"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    given_on = models.DateField(_("date"))
    summary = models.TextField(_("what they said"), max_length=5_000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}, {self.organisation} ({self.given_on})"


class Meeting(models.Model):
    """A team meeting: the record that shows the team's collaboration (seed 003)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        Membership, related_name="meetings", verbose_name=_("attendees")
    )
    agenda = models.TextField(_("agenda"), max_length=2_000)
    notes = models.TextField(_("notes"), max_length=10_000, blank=True)
    decisions = models.TextField(_("decisions"), max_length=5_000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Meeting of {self.held_on}"
