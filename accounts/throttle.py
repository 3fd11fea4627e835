"""Sign-in throttling: too many failed sign-ins for one username, or from one address,
within the window refuse further attempts until the oldest failure leaves it."""

from __future__ import annotations

import ipaddress
import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import SignInFailure

# An address may fail for several people (a campus lab behind one NAT).
ADDRESS_FACTOR = 10


def client_address(request) -> str | None:
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


def _window_start():
    return timezone.now() - timedelta(minutes=settings.SIGNIN_WINDOW_MINUTES)


def minutes_locked(username: str, address: str | None) -> int:
    """0 when sign-in may be tried; else the minutes until it may."""
    since = _window_start()
    recent = SignInFailure.objects.filter(at__gte=since)
    limits = [(recent.filter(username=username.lower()), settings.SIGNIN_MAX_FAILURES)]
    if address:
        limits.append(
            (
                recent.filter(address=address),
                settings.SIGNIN_MAX_FAILURES * ADDRESS_FACTOR,
            )
        )
    waits = []
    for failures, limit in limits:
        # Locked while `limit` failures are in the window: until the limit-th newest
        # one leaves it.
        nth = failures.order_by("-at").values_list("at", flat=True)[limit - 1 : limit]
        for at in nth:
            waits.append(max(1, math.ceil((at - since).total_seconds() / 60)))
    return max(waits, default=0)


def record_failure(username: str, address: str | None) -> None:
    SignInFailure.objects.filter(at__lt=_window_start()).delete()
    SignInFailure.objects.create(username=username.lower()[:150], address=address)


def clear(username: str) -> None:
    """A successful sign-in forgives that username's failures."""
    SignInFailure.objects.filter(username=username.lower()).delete()
