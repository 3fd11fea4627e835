"""What a team lead can learn through the invitation form and the people lookup:
names, never addresses; only the accounts the lookup would offer; and nothing once
the proposal's team is frozen."""

import pytest
from django.urls import reverse

from accounts.verification import require_verification
from proposals.models import State
from teams.models import Invitation
from tests.factories import UserFactory


@pytest.fixture
def morgan(db):
    return UserFactory(
        username="mlee", first_name="Morgan", last_name="Lee", email="ml@sec.edu"
    )


def _invite(client, team, **data):
    return client.post(reverse("teams:invite", args=[team.proposal_id]), data)


def test_lead_sees_names_not_addresses_of_people_chosen_without_campus(
    client, team, proposer, chair, morgan
):
    client.force_login(proposer)
    response = _invite(client, team, people=[chair.pk, morgan.pk], role="faculty")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the campus these people come from:" in page
    assert "Morgan Lee" in page
    assert chair.email not in page
    assert morgan.email not in page
    assert not Invitation.objects.exists()


def test_staff_see_the_addresses_in_that_error(client, team, staff, morgan):
    client.force_login(staff)
    page = _invite(client, team, people=[morgan.pk], role="faculty").content.decode()
    assert "Choose the campus these people come from: ml@sec.edu" in page


def test_typed_addresses_come_back_as_typed(client, team, proposer):
    client.force_login(proposer)
    page = _invite(client, team, email="new@x.edu", role="faculty").content.decode()
    assert "Choose the campus these people come from: new@x.edu" in page


@pytest.mark.parametrize(
    "who", ["unverified", "inactive", "member", "huge", "negative", "word"]
)
def test_posted_ids_the_lookup_would_not_offer_are_a_form_error(
    client, team, proposer, teammate, who
):
    unverified = UserFactory(username="unv", email="unv@x.edu")
    require_verification(unverified)
    ids = {
        "unverified": unverified.pk,
        "inactive": UserFactory(is_active=False, email="gone@x.edu").pk,
        "member": teammate.pk,
        "huge": "99999999999999999999999",
        "negative": "-1",
        "word": "chris",
    }
    client.force_login(proposer)
    response = _invite(client, team, people=[ids[who]], role="faculty", campus="")
    assert response.status_code == 200
    assert response.context["form"].errors["people"]
    assert not Invitation.objects.exists()
    assert "unv@x.edu" not in response.content.decode()


def test_success_message_and_team_page_name_chosen_people_for_the_lead(
    client, team, proposer, staff, morgan
):
    client.force_login(staff)
    _invite(client, team, email="outside@firm.com", role="employer", organisation="F")
    client.get(reverse("teams:detail", args=[team.proposal_id]))  # its message
    client.force_login(proposer)
    response = _invite(
        client, team, people=[morgan.pk], role="employer", organisation="BIW"
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Invitation sent to Morgan Lee." in page
    assert "Morgan Lee" in page
    assert "someone at firm.com" in page
    for address in ("ml@sec.edu", "outside@firm.com"):
        assert address not in page
    client.force_login(staff)
    page = client.get(response.url).content.decode()
    assert "ml@sec.edu" in page and "outside@firm.com" in page


def test_lead_lookup_ignores_usernames_staff_lookup_does_not(
    client, team, proposer, staff, chair
):
    chair.first_name, chair.last_name, chair.username = "Chris", "Hale", "chair"
    chair.save()
    url = reverse("teams:people", args=[team.proposal_id])
    client.force_login(proposer)
    assert "Chris Hale" not in client.get(url, {"q": "chair"}).content.decode()
    assert "Chris Hale" in client.get(url, {"q": "Chris H"}).content.decode()
    assert "Chris Hale" in client.get(url, {"q": chair.email}).content.decode()
    client.force_login(staff)
    assert "Chris Hale" in client.get(url, {"q": "chair"}).content.decode()


FROZEN = [State.COMMITTEE_REVIEW, State.PUBLISHED, State.RETIRED, State.REJECTED]


@pytest.mark.parametrize("state", FROZEN)
@pytest.mark.parametrize("persona", ["proposer", "staff", "teammate"])
def test_frozen_team_refuses_lookup_and_invite_page_explains(
    client, request, forming, morgan, state, persona
):
    type(forming).objects.filter(pk=forming.pk).update(state=state)
    client.force_login(request.getfixturevalue(persona))
    lookup = client.get(reverse("teams:people", args=[forming.pk]), {"q": "morgan"})
    # Only those who may invite learn more than a refusal of their role.
    assert lookup.status_code == (403 if persona == "teammate" else 409)
    assert b"Morgan" not in lookup.content
    response = client.get(reverse("teams:invite", args=[forming.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("teams:detail", args=[forming.pk])
    assert "You cannot change the team" in response.content.decode()
