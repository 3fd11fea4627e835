"""What a credential is once approved: its issuer and the catalog index of its
badges. Both tables keep the names they had in the workflow apps."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import EXPORTED_STATES, Level, State


class Issuer(models.Model):
    """The organisation that issues a credential's badges: the OB 2.0 `Issuer` and
    the OB 3.0 `creator` profile. Its image is kept in the database, so every app
    server can serve it without shared file storage."""

    name = models.CharField(_("organisation name"), max_length=200)
    slug = models.SlugField(
        _("short name in addresses"),
        unique=True,
        help_text=_("Part of the issuer's public address; never change it."),
    )
    url = models.URLField(_("web site"))
    email = models.EmailField(_("contact email"))
    description = models.TextField(_("description"), max_length=2_000, blank=True)
    image = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    image_type = models.CharField(max_length=40, blank=True, editable=False)
    is_default = models.BooleanField(
        _("default issuer"),
        default=False,
        help_text=_("Issues every approved credential that names no other issuer."),
    )

    class Meta:
        # The table it had before publication became an app of its own.
        db_table = "metadata_templates_issuer"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_issuer",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def default(cls) -> Issuer | None:
        return cls.objects.filter(is_default=True).first()


# Characters of a description on a catalog card.
CARD_DESCRIPTION = 220


class CatalogBadgeQuerySet(models.QuerySet):
    def listed(self) -> CatalogBadgeQuerySet:
        """Badges the public catalog shows: those of published credentials."""
        return self.filter(proposal__state=State.PUBLISHED)

    def public(self) -> CatalogBadgeQuerySet:
        """Badges whose exports answer at their public addresses: approved ones (so
        issuing platforms can be set up before the launch), published ones, and
        retired ones (awards already made keep pointing at them)."""
        return self.filter(proposal__state__in=EXPORTED_STATES)

    def search(self, text: str) -> CatalogBadgeQuerySet:
        query = Q()
        for word in text.split()[:8]:
            query &= (
                Q(name__icontains=word)
                | Q(description__icontains=word)
                | Q(category__icontains=word)
                | Q(courses__icontains=word)
            )
        return self.filter(query)


class CatalogBadge(models.Model):
    """One badge of an approved credential, as its approved draft defines it: the
    index the public catalog lists and filters, and the source of every export.
    (proposal, key) is the badge's identity in its public addresses."""

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="catalog_badges"
    )
    revision = models.ForeignKey(
        "metadata_templates.Revision", on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("badge name"), max_length=200)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    category = models.CharField(_("category"), max_length=200, blank=True)
    courses = models.TextField(_("courses required"), max_length=5_000, blank=True)
    human_code = models.CharField(_("course code"), max_length=40, blank=True)
    description = models.TextField(_("description"), max_length=5_000)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, related_name="leads_to", blank=True
    )
    draft_number = models.PositiveIntegerField(_("approved draft"), default=1)
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)

    objects = CatalogBadgeQuerySet.as_manager()

    class Meta:
        db_table = "proposals_catalogbadge"
        ordering = ["category", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "key"], name="one_badge_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["category", "name"]),
            models.Index(fields=["level"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:credential", args=[self.proposal_id]) + f"#{self.key}"

    @property
    def card_description(self) -> str:
        """The description as a catalog card shows it: cut at the last word boundary
        within CARD_DESCRIPTION characters, with an ellipsis, so that cards in a row
        keep a similar height; the credential page shows it whole."""
        text = " ".join(self.description.split())
        if len(text) <= CARD_DESCRIPTION:
            return text
        head = text[: CARD_DESCRIPTION + 1]
        # One word longer than the card allows is cut where it must be.
        cut = head.rsplit(" ", 1)[0] if " " in head else head[:-1]
        return cut.rstrip(" ,.;:") + "\u2026"

    @property
    def description_is_cut(self) -> bool:
        return len(" ".join(self.description.split())) > CARD_DESCRIPTION

    def export_url(self, name: str) -> str:
        return reverse("catalog:export", args=[self.proposal_id, self.key, name])
