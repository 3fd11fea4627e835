"""Awards from a CSV file: the checked rows staff confirm, and how far the background
task that issues them has got."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# An import whose worker has issued nothing for this long may be resumed by staff: the
# worker was stopped (a deploy, a crash) and left it half-way. Resuming while it is
# in fact still running is harmless (every row has its idempotency key).
STALLED_AFTER = timedelta(minutes=5)


class Status(models.TextChoices):
    PREVIEW = "preview", _("checked, waiting for confirmation")
    QUEUED = "queued", _("waiting for the worker")
    ISSUING = "issuing", _("issuing")
    DONE = "done", _("done")
    FAILED = "failed", _("not issued")
    STOPPED = "stopped", _("stopped part-way")


class AwardImportQuerySet(models.QuerySet):
    def for_list(self) -> AwardImportQuerySet:
        """Newest first, with the badge, its credential and who uploaded it, and the
        number of rows issued so far: one query however many imports."""
        return self.select_related("badge__proposal", "uploaded_by").annotate(
            issued=models.Count("rows", filter=models.Q(rows__award__isnull=False))
        )


class AwardImport(models.Model):
    """One CSV file of people to award one badge to. Every row is checked before it is
    saved; issuing starts once staff confirm, on the task queue, row by row, each row
    issued with the idempotency key `csv:<import>:<row>`."""

    badge = models.ForeignKey(
        "credentials.CatalogBadge", on_delete=models.PROTECT, related_name="imports"
    )
    file_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    total = models.PositiveIntegerField(default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Last sign of life of the worker: set when it starts and at every row issued.
    progressed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Why it failed or stopped, in words for staff (row problems one per line).
    problem = models.TextField(blank=True)

    objects = AwardImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.badge}"

    def get_absolute_url(self) -> str:
        return reverse("award_imports:detail", args=[self.pk])

    @property
    def working(self) -> bool:
        return self.status in (Status.QUEUED, Status.ISSUING)

    def stalled(self, now=None) -> bool:
        """Issuing stopped part-way, or no row issued for STALLED_AFTER."""
        if self.status == Status.STOPPED:
            return True
        last = self.progressed_at or self.confirmed_at
        return (
            self.working
            and last is not None
            and (now or timezone.now()) - last > STALLED_AFTER
        )


class AwardImportRow(models.Model):
    """One person of the file, as checked: `number` is the row in the spreadsheet
    (the header is row 1), so that staff find it in their file."""

    award_import = models.ForeignKey(
        AwardImport, on_delete=models.CASCADE, related_name="rows"
    )
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    email = models.EmailField()
    evidence_url = models.URLField(max_length=500, blank=True)
    # None: the day it is issued.
    issued_on = models.DateField(null=True, blank=True)
    award = models.OneToOneField(
        "awards.Award",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_row",
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_import", "number"], name="one_import_row_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"row {self.number}: {self.name} <{self.email}>"

    @property
    def idempotency_key(self) -> str:
        return f"csv:{self.award_import_id}:{self.number}"
