from django.http import HttpRequest

from accounts import permissions, verification


def roles(request: HttpRequest) -> dict:
    """Role flags and the unread-notification count for the navigation bar."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "is_mc_staff": permissions.is_mc_staff(user),
        "is_committee_member": permissions.is_committee_member(user),
        "is_chair": permissions.is_chair(user),
        "role_labels": permissions.role_labels(user),
        "email_unverified": bool(request.session.get(verification.SESSION_FLAG)),
        # A callable, so the count is only queried by pages that show it.
        "unread_notifications": user.notifications.unread().count,
    }
