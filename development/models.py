"""The UMS Micro-Credential Development pathway (seed 003): which catalog badges are
its levels, the launch checklist a team works through after approval, and the
evidence the tracker does not hold (Level 1, the Starter assignment, reflections)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Level


class PathwayBadge(models.Model):
    """One level of the development pathway: the catalog badge that stands for it.
    The pathway is an ordinary published credential; this says which of its badges
    is which level, so progress and awards never go by name."""

    level = models.CharField(
        _("level"), max_length=8, choices=Level.choices, unique=True
    )
    badge = models.OneToOneField(
        "credentials.CatalogBadge", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.badge}"


class Item(models.TextChoices):
    """Evidence the tracker does not hold, by the requirement it meets."""

    LEVEL1_COMPLETION = "level1_completion", _("Level 1 course completed")
    LEVEL1_QUIZ = "level1_quiz", _("Level 1 quiz score")
    LEVEL1_REFLECTION = "level1_reflection", _("Level 1 reflection")
    STARTER = "starter", _("UMS Micro-Credential Starter assignment")
    LEVEL3_REFLECTION = "level3_reflection", _("Level 3 reflection")


# Seed 003: "Complete a quiz and receive a score of 80% or higher."
PASSING_SCORE = 80


class EvidenceQuerySet(models.QuerySet):
    def for_people(self, users) -> EvidenceQuerySet:
        return self.filter(person__in=users).select_related("recorded_by")


class Evidence(models.Model):
    """One piece of evidence for a requirement, as text and/or a link: added by the
    person, or recorded by micro-credential staff (who then vouch for it)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="development_evidence",
    )
    item = models.CharField(_("requirement"), max_length=30, choices=Item.choices)
    text = models.TextField(_("description"), max_length=2_000, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    by_staff = models.BooleanField(_("recorded by staff"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="score_is_a_percentage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} of {self.person}"

    @property
    def meets(self) -> bool:
        """Whether it meets its requirement: a quiz needs a passing score."""
        if self.item == Item.LEVEL1_QUIZ:
            return self.score is not None and self.score >= PASSING_SCORE
        return True


class LaunchChecklist(models.Model):
    """What a team prepares between approval and publication (seed 003, Level 3):
    the issuing option, the communication plan, the marketing infographic and the
    campus website contribution. Level 3 of the development pathway reads it."""

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="launch_checklist"
    )
    issuing_option = models.CharField(
        _("issuing option"),
        max_length=200,
        blank=True,
        help_text=_("The badging platform that will issue the badges."),
    )
    communication_plan = models.TextField(
        _("communication plan"),
        max_length=2_000,
        blank=True,
        help_text=_("How learners and employers will hear about it, and when."),
    )
    infographic = models.TextField(
        _("marketing infographic"),
        max_length=2_000,
        blank=True,
        help_text=_("What the infographic says, or where it is."),
    )
    infographic_link = models.URLField(
        _("infographic link"), max_length=500, blank=True
    )
    website = models.TextField(
        _("campus website contribution"),
        max_length=2_000,
        blank=True,
        help_text=_("The text for the campus or organisation website template."),
    )
    website_link = models.URLField(_("website link"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Launch checklist of {self.proposal}"

    def items(self) -> list[tuple[str, bool]]:
        """Each item of the checklist with whether it is done."""
        return [
            (str(_("Issuing option chosen")), bool(self.issuing_option.strip())),
            (str(_("Communication plan")), bool(self.communication_plan.strip())),
            (
                str(_("Marketing infographic")),
                bool(self.infographic.strip() or self.infographic_link),
            ),
            (
                str(_("Campus website contribution")),
                bool(self.website.strip() or self.website_link),
            ),
        ]

    @property
    def is_complete(self) -> bool:
        return all(done for _label, done in self.items())
