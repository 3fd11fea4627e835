"""Throttling of sign-ins and password-reset emails.

Every attempt is counted and recorded *before* the password is checked (or the email
sent), one at a time per limit, so of any number of simultaneous attempts exactly the
limit get through.

Sign-in failures are limited per (username, address), so nobody can lock someone
else out from elsewhere, and per address over all usernames; a successful sign-in
forgives its (username, address), a successful password reset every failure of the
username."""

from __future__ import annotations

import ipaddress
import math
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import PasswordResetRequest, SignInFailure

# An address may fail for several people (a campus lab behind one NAT).
ADDRESS_FACTOR = 10
# The first key of this module's PostgreSQL advisory locks.
LOCK_CLASS = 7411


class Throttled(Exception):
    """Refused: too many recent attempts. `minutes` until the next one may be tried."""

    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the peer, or the entry the trusted proxies appended."""
    candidate = request.META.get("REMOTE_ADDR", "")
    if settings.NUM_PROXIES:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= settings.NUM_PROXIES:
            candidate = forwarded[-settings.NUM_PROXIES]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _serialize(key: str) -> None:
    """Attempts that share a limit are counted one at a time: a PostgreSQL lock until
    the transaction ends (SQLite runs one writing transaction at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [LOCK_CLASS, key]
            )


def _admit(
    model: type[models.Model],
    window_minutes: int,
    limits: list[tuple[dict, int]],
    **fields,
) -> models.Model:
    """Record an attempt unless a limit (at most `limit` records matching its lookup
    in the window) is reached; else raise Throttled."""
    since = timezone.now() - timedelta(minutes=window_minutes)
    # Outside the locks: two purges waiting on each other's rows could deadlock.
    model.objects.filter(at__lt=since).delete()
    with transaction.atomic():
        # Always in the order of `limits` (the narrow key first), so two attempts
        # never wait for each other's locks.
        for lookup, _limit in limits:
            _serialize(f"{model._meta.label}:{sorted(lookup.items())}")
        waits = []
        for lookup, limit in limits:
            recent = model.objects.filter(at__gte=since, **lookup)
            # Refused while `limit` attempts are in the window: until the limit-th
            # newest one leaves it.
            nth = recent.order_by("-at", "-pk").values_list("at", flat=True)
            for at in nth[limit - 1 : limit]:
                waits.append(max(1, math.ceil((at - since).total_seconds() / 60)))
        if waits:
            raise Throttled(max(waits))
        return model.objects.create(**fields)


def start_sign_in(username: str, address: str | None) -> SignInFailure:
    """Count a sign-in attempt before its password is checked; it stays counted as a
    failure unless `signed_in` or `withdraw` follows. Raises Throttled."""
    username = username.lower()[:150]
    limits = [
        ({"username": username, "address": address}, settings.SIGNIN_MAX_FAILURES)
    ]
    if address:
        limits.append(
            ({"address": address}, settings.SIGNIN_MAX_FAILURES * ADDRESS_FACTOR)
        )
    return _admit(
        SignInFailure,
        settings.SIGNIN_WINDOW_MINUTES,
        limits,
        username=username,
        address=address,
    )


def withdraw(attempt: SignInFailure) -> None:
    """The attempt was not a wrong password (e.g. the form was incomplete)."""
    attempt.delete()


def signed_in(attempt: SignInFailure) -> None:
    """A successful sign-in forgives the failures of its username from its address."""
    SignInFailure.objects.filter(
        username=attempt.username, address=attempt.address
    ).delete()


def password_reset(username: str) -> None:
    """Whoever set a new password through the emailed link owns the account: every
    failure of the username is forgiven, from wherever it came."""
    SignInFailure.objects.filter(username=username.lower()).delete()


def start_password_reset(email: str, address: str | None) -> PasswordResetRequest:
    """Count a password-reset request (whether or not an account has the email, so
    the answer tells nothing about accounts). Raises Throttled."""
    email = email.strip().lower()[:254]
    limits = [({"email": email}, settings.PASSWORD_RESET_MAX_PER_EMAIL)]
    if address:
        limits.append(({"address": address}, settings.PASSWORD_RESET_MAX_PER_ADDRESS))
    return _admit(
        PasswordResetRequest,
        settings.PASSWORD_RESET_WINDOW_MINUTES,
        limits,
        email=email,
        address=address,
    )
