"""Invitations to several people at once, and the people lookup: names or addresses
of existing accounts, the campus from their profile, bounded, and only for those who
may invite (an outsider learns nothing, a plain member is refused)."""

import pytest
from django.urls import reverse

from accounts.verification import require_verification
from teams.models import Invitation, Membership, Role, Team
from teams.services import LOOKUP_LIMIT
from tests.factories import ProposalFactory, UserFactory, campus


def _person(username, first, last, email, where=None):
    user = UserFactory(username=username, first_name=first, last_name=last, email=email)
    if where:
        Membership.objects.create(
            team=Team.objects.create(proposal=ProposalFactory(proposer=user)),
            user=user,
            role=Role.FACULTY,
            campus=campus(where),
        )
    return user


@pytest.fixture
def dana(db):
    return _person("dellis", "Dana", "Ellis", "dana@maine.edu", "UMA")


@pytest.fixture
def pat(db):
    return _person("pat", "Pat", "Moreau", "pat@bay.com")


def _invite(client, team, **data):
    return client.post(reverse("teams:invite", args=[team.proposal_id]), data)


def test_several_people_are_invited_at_once_each_with_their_campus(
    client, team, proposer, dana, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(proposer)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(
            client,
            team,
            email="new@maine.edu, other@maine.edu\nnew@maine.edu",
            people=[dana.pk],
            role=Role.FACULTY,
            campus=campus("UMF").pk,
        )
    assert response.status_code == 302
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "dana@maine.edu",
        "new@maine.edu",
        "other@maine.edu",
    ]
    assert {i.campus.short_name for i in Invitation.objects.all()} == {"UMF"}
    assert len(mailoutbox) == 3


def test_without_a_chosen_campus_each_takes_the_one_on_their_profile(
    client, team, staff, dana
):
    client.force_login(staff)
    response = _invite(client, team, people=[dana.pk], role=Role.DESIGNER)
    assert response.status_code == 302
    assert Invitation.objects.get().campus == campus("UMA")


def test_someone_without_a_profile_campus_needs_one_and_nothing_is_sent(
    client, team, staff, dana
):
    client.force_login(staff)
    response = _invite(
        client,
        team,
        email="stranger@maine.edu",
        people=[dana.pk],
        role=Role.FACULTY,
        message="Join us",
    )
    page = response.content.decode()
    assert "Choose the campus these people come from: stranger@maine.edu" in page
    assert "stranger@maine.edu" in response.context["form"]["email"].value()
    assert response.context["form"].chosen == [dana]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Give at least one email address."),
        ("not-an-address", "“not-an-address” is not an email address."),
        (",".join(f"p{i}@x.edu" for i in range(11)), "at most 10 people"),
    ],
)
def test_bad_address_lists_are_refused(client, team, staff, email, message):
    client.force_login(staff)
    response = _invite(
        client, team, email=email, role=Role.EMPLOYER, organisation="BIW"
    )
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_lookup_finds_people_by_name_with_their_campus(client, team, proposer, dana):
    client.force_login(proposer)
    url = reverse("teams:people", args=[team.proposal_id])
    page = client.get(url, {"q": "dana ell"}).content.decode()
    assert "Dana Ellis" in page
    assert str(campus("UMA")) in page
    # The lead does not see addresses, nor find people by part of one.
    assert "dana@maine.edu" not in page
    assert "Dana Ellis" not in client.get(url, {"q": "maine.edu"}).content.decode()
    assert "Dana Ellis" in client.get(url, {"q": "dana@maine.edu"}).content.decode()


def test_staff_find_people_by_part_of_an_address_and_see_it(client, team, staff, pat):
    client.force_login(staff)
    page = client.get(
        reverse("teams:people", args=[team.proposal_id]), {"q": "bay.com"}
    ).content.decode()
    assert "Pat Moreau" in page
    assert "pat@bay.com" in page


def test_lookup_leaves_out_members_inactive_and_unverified_accounts(
    client, team, proposer, teammate
):
    UserFactory(username="gone", first_name="Dana", last_name="Gone", is_active=False)
    require_verification(UserFactory(first_name="Dana", last_name="Unverified"))
    client.force_login(proposer)
    page = client.get(
        reverse("teams:people", args=[team.proposal_id]), {"q": "dana"}
    ).content.decode()
    assert "No one found" in page


def test_lookup_is_bounded_and_needs_two_characters(client, team, staff):
    for i in range(LOOKUP_LIMIT + 5):
        UserFactory(first_name="Robin", last_name=f"Lee{i}")
    client.force_login(staff)
    url = reverse("teams:people", args=[team.proposal_id])
    assert len(client.get(url, {"q": "robin"}).context["people"]) == LOOKUP_LIMIT
    assert client.get(url, {"q": "r"}).context["people"] == []


@pytest.mark.parametrize(("persona", "status"), [("teammate", 403), ("outsider", 404)])
def test_only_those_who_may_invite_use_the_lookup(
    client, request, team, dana, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(
        reverse("teams:people", args=[team.proposal_id]), {"q": "dana"}
    )
    assert response.status_code == status
    assert b"Dana Ellis" not in response.content
