"""Roles. A proposer is any signed-in user; micro-credential staff is a group the site
admin grants; Steering Committee members and the chair hold a current committee term
(approvals.CommitteeTerm), so past members keep their history but lose the role."""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

STAFF_GROUP = "Micro-credential staff"

User = AbstractBaseUser | AnonymousUser

# The committee terms in force today (user_id and role of each). The terms live in
# approvals/, above accounts/, so approvals/apps.py hands this in from ready().
current_committee_terms: Callable[[], QuerySet] | None = None


def _group_names(user: User) -> frozenset[str]:
    """The user's group names, read once per user object (one query per request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_group_names = cached
    return cached


def committee_role(user: User) -> str | None:
    """The user's current committee role ("member", "chair", "acting_chair"), read once
    per user object."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_committee_role"):
        roles = set(
            current_committee_terms().filter(user=user).values_list("role", flat=True)
        )
        chairing = roles & {"chair", "acting_chair"}
        user._committee_role = (
            sorted(chairing)[0] if chairing else ("member" if roles else None)
        )
    return user._committee_role


def is_site_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def is_mc_staff(user: User) -> bool:
    """Micro-credential office staff; site admins hold every staff power too."""
    return is_site_admin(user) or STAFF_GROUP in _group_names(user)


def is_chair(user: User) -> bool:
    """The chair, or the acting chair in the chair's absence."""
    return committee_role(user) in ("chair", "acting_chair")


def is_committee_member(user: User) -> bool:
    """Voting members of the Steering Committee; the chair is one of them."""
    return committee_role(user) is not None


def office_and_committee() -> Q:
    """A filter on users for everyone whose role reads every proposal: site admins,
    staff and current committee members (the chair among them)."""
    return (
        Q(is_superuser=True)
        | Q(groups__name=STAFF_GROUP)
        | Q(pk__in=current_committee_terms().values("user_id"))
    )


def role_labels(user: User) -> list[str]:
    """Human-readable roles, for the account menu."""
    labels = []
    if is_site_admin(user):
        labels.append("Site admin")
    if STAFF_GROUP in _group_names(user):
        labels.append("Micro-credential staff")
    if committee_role(user) == "acting_chair":
        labels.append("Acting committee chair")
    elif is_chair(user):
        labels.append("Committee chair")
    elif is_committee_member(user):
        labels.append("Committee member")
    if user.is_authenticated:
        labels.append("Proposer")
    return labels


def require(allowed: bool) -> None:
    """403 unless the check passed: for signed-in users whose role does not allow it."""
    if not allowed:
        raise PermissionDenied
