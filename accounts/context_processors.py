from django.conf import settings
from django.http import HttpRequest

from accounts import permissions, verification


def roles(request: HttpRequest) -> dict:
    """Role flags and the unread-notification count for the navigation bar, and
    whether this site has its own accounts (links to sign-up)."""
    user = request.user
    if not user.is_authenticated:
        return {"local_accounts": settings.LOCAL_ACCOUNTS}
    return {
        "local_accounts": settings.LOCAL_ACCOUNTS,
        "is_mc_staff": permissions.is_mc_staff(user),
        "is_committee_member": permissions.is_committee_member(user),
        "is_chair": permissions.is_chair(user),
        "role_labels": permissions.role_labels(user),
        "email_unverified": bool(request.session.get(verification.SESSION_FLAG)),
        # A callable, so the count is only queried by pages that show it.
        "unread_notifications": user.notifications.unread().count,
    }
