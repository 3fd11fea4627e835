"""Awards: a badge of a published credential given to one person, kept as the signed
Open Badges 3.0 credential it was issued as (the canonical record), and the Bitstring
Status Lists through which the issuer revokes them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credentials.proofs.statuslist import LENGTH


class Source(models.TextChoices):
    MANUAL = "manual", _("awarded by staff")
    CSV = "csv", _("imported from a CSV file")
    DEVELOPMENT = "development", _("development pathway")
    COURSE = "course", _("course")


class StatusList(models.Model):
    """One revocation list of an issuer, published signed at a stable address. Its
    entries are handed out in an order that a stride and an offset, random per list,
    scramble, so that neighbouring awards do not sit at neighbouring bits."""

    issuer = models.ForeignKey(
        "credentials.Issuer", on_delete=models.PROTECT, related_name="status_lists"
    )
    # The DID that signs the list, which must be the awards' issuer: under did:key a
    # new signing key is a new issuer, whose awards need a list of their own.
    issuer_did = models.CharField(max_length=200)
    allocated = models.PositiveIntegerField(default=0)
    stride = models.PositiveIntegerField()
    offset = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(allocated__lte=LENGTH), name="status_list_not_overfull"
            ),
            # An odd stride is coprime with the power-of-two length: a permutation.
            models.CheckConstraint(
                condition=Q(stride__lt=LENGTH) & Q(offset__lt=LENGTH),
                name="status_list_scramble_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} status list {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("awards:status_list", args=[self.pk])

    def index_of(self, entry: int) -> int:
        """The bit of the list that the `entry`th award receives."""
        return (self.stride * entry + self.offset) % LENGTH


class Award(models.Model):
    """A badge awarded to one person. `credential` is the signed OB 3.0 credential as
    issued, never rewritten: revoking sets the award's bit in its status list."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge = models.ForeignKey(
        "credentials.CatalogBadge", on_delete=models.PROTECT, related_name="awards"
    )
    recipient_name = models.CharField(_("recipient's name"), max_length=200)
    recipient_email = models.EmailField(_("recipient's email"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
    )
    # Salts the email's hash in the credential, so that the hash does not tell
    # whose address it is by a lookup of common addresses.
    salt = models.CharField(max_length=64, editable=False)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_narrative = models.TextField(_("evidence"), max_length=5_000, blank=True)
    issued_on = models.DateField(_("earned on"))
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=12, choices=Source.choices)
    # Whoever issues a row of a batch names it, so that issuing it again (a retried
    # task, a second worker) finds the award instead of making another; "" for none.
    idempotency_key = models.CharField(max_length=200, blank=True, default="")
    status_list = models.ForeignKey(
        StatusList, on_delete=models.PROTECT, related_name="awards"
    )
    status_index = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(max_length=1_000, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Only the SHA-256 of the claim link's token (awards.services.claim_token).
    claim_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    credential = models.JSONField(editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_award_per_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_award_per_status_bit"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="revocation_has_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["recipient_email"])]

    def __str__(self) -> str:
        return f"{self.badge} — {self.recipient_name}"

    def get_absolute_url(self) -> str:
        """The public verification page."""
        return reverse("awards:verify", args=[self.uuid])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def file_url(self, name: str) -> str:
        return reverse("awards:file", args=[self.uuid, name])
