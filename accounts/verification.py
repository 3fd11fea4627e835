"""Email verification of self-registered accounts. A sign-up proves nothing about its
address, so until the emailed link (signed, expiring) comes back, the account sees
only its own dashboard, and joins no team or invitation (teams.services asks
`is_verified`). Accounts with no PendingVerification row count as verified."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import PendingVerification

SALT = "accounts.email-verification"
MAX_AGE = timedelta(days=3)
RESEND_AFTER = timedelta(minutes=1)
# The session key that marks a signed-in, unverified account (set at sign-in, so
# verified accounts pay no query per request).
SESSION_FLAG = "email_unverified"


def is_verified(user) -> bool:
    """Whether the account's email address counts as confirmed, read once per user
    object."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_email_verified"):
        user._email_verified = not PendingVerification.objects.filter(
            user=user
        ).exists()
    return user._email_verified


def verified(users: QuerySet) -> QuerySet:
    """The users among `users` whose address counts as confirmed."""
    return users.filter(pending_verification__isnull=True)


def require_verification(user) -> None:
    """Mark a new self-registered account unverified until its link comes back."""
    PendingVerification.objects.update_or_create(
        user=user, defaults={"sent_at": timezone.now()}
    )
    user._email_verified = False


def make_token(user) -> str:
    """A signed, expiring token naming the account and the address it confirms."""
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=SALT)


def confirm(token: str):
    """The account the token confirms, now verified; None for a forged, expired or
    outdated token (the address changed since it was sent)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    user = (
        get_user_model()
        .objects.filter(pk=data.get("user"), email__iexact=data.get("email", ""))
        .first()
    )
    if user is not None:
        mark_verified(user)
    return user


def mark_verified(user) -> None:
    """The account's address is proven: by its confirmation link, or by a password
    reset link, which reached the same inbox."""
    PendingVerification.objects.filter(user=user).delete()
    user._email_verified = True


def may_resend(user) -> bool:
    """Whether a new link may be sent now (one a minute), noting it if so."""
    cutoff = timezone.now() - RESEND_AFTER
    return bool(
        PendingVerification.objects.filter(user=user, sent_at__lte=cutoff).update(
            sent_at=timezone.now()
        )
    )


def flag_session(sender, request, user, **kwargs) -> None:
    """On sign-in, mark the session of an unverified account (user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        if is_verified(user):
            request.session.pop(SESSION_FLAG, None)
        else:
            request.session[SESSION_FLAG] = True
