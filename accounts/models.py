from django.conf import settings
from django.db import models
from django.utils import timezone


class SignInFailure(models.Model):
    """One failed sign-in, kept for the throttling window (in the database, so every
    app server counts the same failures)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M}"


class PendingVerification(models.Model):
    """A self-registered account whose email address is not confirmed yet. Accounts
    without one count as verified: those an administrator created, the demo
    accounts and every account older than verification."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="pending_verification",
    )
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} (unverified since {self.sent_at:%Y-%m-%d %H:%M})"


class PasswordResetRequest(models.Model):
    """One request for a password-reset email, kept for the throttling window."""

    email = models.EmailField(max_length=254, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.email} from {self.address} at {self.at:%Y-%m-%d %H:%M}"


class Profile(models.Model):
    """What a person's campus directory says of them, kept from their last campus
    sign-in (people with local accounts have none)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
    )
    campus = models.ForeignKey(
        "teams.Campus",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
    )
    department = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.user} ({self.campus or '-'}, {self.department or '-'})"
