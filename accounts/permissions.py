"""Roles. A proposer is any signed-in user; micro-credential staff is a group the site
admin grants; Steering Committee members and the chair hold a current committee term
(approvals.CommitteeTerm), so past members keep their history but lose the role."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField, CharField, Q, QuerySet
from django.utils import timezone

from accounts.columns import PARAMETER, column, outer_key

STAFF_GROUP = "Micro-credential staff"

User = AbstractBaseUser | AnonymousUser

# The committee terms in force on a day, today by default. The terms live in
# approvals/, above accounts/, so approvals/apps.py hands this in from ready().
current_committee_terms: Callable[..., QuerySet] | None = None


def with_roles(users: QuerySet) -> QuerySet:
    """Users that arrive with their roles read (in_staff_group, committee_role): the
    signed-in user of each request costs one query, not three (accounts.backends)."""
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    return users.annotate(
        _in_staff_group=column(
            _staff_group_of_user, output_field=BooleanField(), template="EXISTS {}"
        ),
        # current() compares the day with both ends of a term.
        _committee_role=column(
            _committee_role_of_user, today, today, output_field=CharField()
        ),
    )


def _staff_group_of_user() -> QuerySet:
    return Group.objects.filter(
        name=STAFF_GROUP, user=outer_key(get_user_model())
    ).values("pk")


def _committee_role_of_user() -> QuerySet:
    # "acting_chair" < "chair" < "member": the first role in this order is the one
    # that counts when terms overlap.
    return (
        current_committee_terms(on=PARAMETER)
        .filter(user=outer_key(get_user_model()))
        .order_by("role")
        .values("role")[:1]
    )


def in_staff_group(user: User) -> bool:
    """Whether the user belongs to the staff group, read once per user object."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_in_staff_group"):
        user._in_staff_group = user.groups.filter(name=STAFF_GROUP).exists()
    return user._in_staff_group


def committee_role(user: User) -> str | None:
    """The user's current committee role ("member", "chair", "acting_chair"), read once
    per user object."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_committee_role"):
        user._committee_role = (
            current_committee_terms()
            .filter(user=user)
            .order_by("role")
            .values_list("role", flat=True)
            .first()
        )
    return user._committee_role


def is_site_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def is_mc_staff(user: User) -> bool:
    """Micro-credential office staff; site admins hold every staff power too."""
    return is_site_admin(user) or in_staff_group(user)


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
    if in_staff_group(user):
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
