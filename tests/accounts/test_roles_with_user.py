"""The signed-in user arrives with its roles (accounts.backends.RoleBackend): one
query a request, and the same answers as asking for each role on its own."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import IntegerField, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from accounts.backends import RoleBackend
from accounts.columns import column
from approvals.models import CommitteeTerm
from tests.factories import UserFactory

# Each case: the terms a user holds (role, first and last day, in days from today;
# None: open-ended), and the role in force.
TERMS = {
    "none": ([], None),
    "member": ([("member", -1, None)], "member"),
    "chair over member": ([("member", -1, None), ("chair", 0, 0)], "chair"),
    "acting chair over chair": (
        [("chair", -1, None), ("acting_chair", -1, 0)],
        "acting_chair",
    ),
    "ended chair": ([("chair", -9, -1), ("member", 0, None)], "member"),
    "future term": ([("member", 1, None)], None),
}


@pytest.mark.parametrize("case", TERMS)
@pytest.mark.parametrize("in_staff", [False, True])
def test_roles_read_with_the_user_match_the_roles_asked_one_by_one(
    db, case, in_staff, django_assert_num_queries
):
    terms, expected = TERMS[case]
    user = UserFactory(groups=[permissions.STAFF_GROUP] if in_staff else [])
    today = timezone.localdate()
    for role, starts, ends in terms:
        CommitteeTerm.objects.create(
            user=user,
            role=role,
            starts_on=today + datetime.timedelta(days=starts),
            ends_on=None if ends is None else today + datetime.timedelta(days=ends),
        )
    with django_assert_num_queries(1):
        loaded = RoleBackend().get_user(user.pk)
        roles = (
            permissions.is_mc_staff(loaded),
            permissions.committee_role(loaded),
            permissions.role_labels(loaded),
        )
    asked = get_user_model().objects.get(pk=user.pk)
    assert roles == (
        permissions.is_mc_staff(asked),
        permissions.committee_role(asked),
        permissions.role_labels(asked),
    )
    assert roles[:2] == (in_staff, expected)


def test_no_user_or_an_inactive_one_is_nobody(db):
    user = UserFactory(is_active=False)
    assert RoleBackend().get_user(user.pk) is None
    assert RoleBackend().get_user(user.pk + 1) is None


def test_a_role_taken_away_is_gone_on_the_next_request(client, staff):
    client.force_login(staff)
    assert client.get(reverse("proposals:queue")).status_code == 200
    staff.groups.remove(Group.objects.get(name=permissions.STAFF_GROUP))
    assert client.get(reverse("proposals:queue")).status_code == 403


def _staff_named() -> QuerySet:
    return Group.objects.filter(name=permissions.STAFF_GROUP).values("pk")


def test_a_column_takes_fixed_values_or_given_ones_never_both(db):
    with pytest.raises(ValueError, match="fixed values or given ones"):
        column(_staff_named, 1, output_field=IntegerField())


def test_sessions_from_before_the_role_backend_stay_signed_in(client, staff):
    """The upgrade's migration re-stamps the sessions Django's ModelBackend opened,
    so nobody is signed out by it; and back, on a downgrade."""
    restamp = importlib.import_module(
        "accounts.migrations.0006_sessions_signed_in_through_role_backend"
    )
    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(staff.pk),
            BACKEND_SESSION_KEY: restamp.MODEL_BACKEND,
            HASH_SESSION_KEY: staff.get_session_auth_hash(),
        }
    )
    store.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    assert client.get(reverse("proposals:queue")).status_code == 302
    restamp.forwards(apps, None)
    assert client.get(reverse("proposals:queue")).status_code == 200
    restamp.backwards(apps, None)
    assert SessionStore(store.session_key).load()[BACKEND_SESSION_KEY] == (
        restamp.MODEL_BACKEND
    )
