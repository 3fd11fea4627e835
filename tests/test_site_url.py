"""In development without SITE_URL, links in emails use the address the request came
to (so the site works on another port); SITE_URL, when set, always wins."""

import pytest
from django.urls import reverse

from tests.factories import ProposalFactory, confirmed_team


@pytest.fixture
def invite(client, staff):
    proposal = ProposalFactory(state="team_forming")
    confirmed_team(proposal)
    client.force_login(staff)

    def send(**extra):
        client.post(
            reverse("teams:invite", args=[proposal.pk]),
            {"email": "dana@maine.edu", "role": "employer", "organisation": "BIW"},
            **extra,
        )

    return send


def test_without_site_url_emails_link_to_the_request_address(
    settings,
    invite,
    client,
    staff,
    proposal,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL_FROM_REQUEST = True
    with django_capture_on_commit_callbacks(execute=True):
        invite(HTTP_HOST="localhost:8123")
        client.post(
            reverse("proposals:transition", args=[proposal.pk, "triage"]),
            {"expected_state": "submitted"},
            HTTP_HOST="localhost:8123",
        )
    bodies = [m.body for m in mailoutbox]
    assert "http://localhost:8123/team-invitations/" in bodies[0]
    assert f"http://localhost:8123/proposals/{proposal.pk}/" in bodies[1]


def test_a_set_site_url_wins_over_the_request(
    settings, invite, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL_FROM_REQUEST = False
    settings.SITE_URL = "https://mc.maine.edu"
    with django_capture_on_commit_callbacks(execute=True):
        invite(HTTP_HOST="localhost:8123")
    assert "https://mc.maine.edu/team-invitations/" in mailoutbox[0].body
