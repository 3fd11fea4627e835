"""Roles. A proposer is any signed-in user; the other roles are groups, so the site
admin grants them in the admin without a code change."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

STAFF_GROUP = "Micro-credential staff"
COMMITTEE_GROUP = "Steering committee"
CHAIR_GROUP = "Committee chair"
ROLE_GROUPS = (STAFF_GROUP, COMMITTEE_GROUP, CHAIR_GROUP)

User = AbstractBaseUser | AnonymousUser


def _group_names(user: User) -> frozenset[str]:
    """The user's group names, read once per user object (one query per request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_group_names = cached
    return cached


def is_site_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def is_mc_staff(user: User) -> bool:
    """Micro-credential office staff; site admins hold every staff power too."""
    return is_site_admin(user) or STAFF_GROUP in _group_names(user)


def is_chair(user: User) -> bool:
    return CHAIR_GROUP in _group_names(user)


def is_committee_member(user: User) -> bool:
    """Voting members of the Steering Committee; the chair is one of them."""
    return bool(_group_names(user) & {COMMITTEE_GROUP, CHAIR_GROUP})


def role_labels(user: User) -> list[str]:
    """Human-readable roles, for the account menu."""
    labels = []
    if is_site_admin(user):
        labels.append("Site admin")
    if STAFF_GROUP in _group_names(user):
        labels.append("Micro-credential staff")
    if is_chair(user):
        labels.append("Committee chair")
    elif is_committee_member(user):
        labels.append("Committee member")
    if user.is_authenticated:
        labels.append("Proposer")
    return labels
