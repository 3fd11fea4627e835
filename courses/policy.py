"""Who sees what of a course mapping, after the design's "Who sees what":

* anyone: an approved mapping's course, campus and first term, on the badge's
  public page, the catalog, the public PDF and the Open Badges criteria;
* the instructor who asked for it: its whole record, in every state;
* micro-credential staff and the Steering Committee: every mapping's record.

The record (the assignment-by-criterion table, staff comments, the timeline, the
training request, learner numbers) never leaves the last two rows. Everyone else
gets a 404 at every address of it."""

from __future__ import annotations

from django.db.models import Q

from accounts.permissions import is_committee_member, is_mc_staff, office_and_committee


def can_view_record(mapping, user) -> bool:
    return user.is_authenticated and (
        is_mc_staff(user)
        or is_committee_member(user)
        or mapping.instructor_id == user.pk
    )


def records_visible_to(user) -> Q:
    """A filter on mappings for the records `user` may open."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_mc_staff(user) or is_committee_member(user):
        return Q()
    return Q(instructor=user)


def record_readers(mapping) -> Q:
    """A filter on users for whoever may read the mapping's record."""
    return office_and_committee() | Q(pk=mapping.instructor_id)
