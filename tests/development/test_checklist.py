"""The launch checklist: the team edits it while the credential is approved; the
proposal page and the publish confirmation show it; a stale page merges."""

import pytest
from django.urls import reverse

from development.models import LaunchChecklist
from metadata_templates.models import Revision
from proposals.models import State
from tests.development.conftest import walk
from tests.factories import ProposalFactory, approved_credential, confirmed_team

FULL = {
    "issuing_option": "Credly",
    "communication_plan": "Campus news, then the teaching centres.",
    "infographic": "",
    "infographic_link": "https://example.edu/infographic.pdf",
    "website": "A page for the campus website.",
    "website_link": "",
}


def _page(client, proposal):
    return client.get(reverse("development:launch", args=[proposal.pk]))


def _based_on(response) -> str:
    return response.context["form"]["based_on"].value()


def test_it_starts_from_what_the_approved_draft_says(client, proposer, approved):
    revision = approved.drafts.get().revision
    Revision.objects.filter(pk=revision.pk).update(
        content={**revision.content, "credential": {"issuing_option": "UMS badging"}}
    )
    client.force_login(proposer)
    form = _page(client, approved).context["form"]
    assert form["issuing_option"].value() == "UMS badging"
    assert not LaunchChecklist.objects.exists()


def test_the_team_saves_it_and_level_3_sees_it(client, teammate, approved):
    client.force_login(teammate)
    page = _page(client, approved)
    response = client.post(
        reverse("development:launch", args=[approved.pk]),
        {**FULL, "based_on": _based_on(page)},
    )
    assert response.status_code == 302
    checklist = LaunchChecklist.objects.get(proposal=approved)
    assert checklist.is_complete and checklist.updated_by == teammate


def test_a_bad_link_is_an_error_and_keeps_what_was_typed(client, proposer, approved):
    client.force_login(proposer)
    response = client.post(
        reverse("development:launch", args=[approved.pk]),
        {**FULL, "website_link": "not a link"},
    )
    assert response.status_code == 200
    assert "Enter a valid URL" in response.text
    assert "Campus news, then the teaching centres." in response.text
    assert not LaunchChecklist.objects.exists()


def test_two_tabs_merge_and_a_clash_is_shown(client, proposer, teammate, approved):
    client.force_login(proposer)
    old = _based_on(_page(client, approved))
    url = reverse("development:launch", args=[approved.pk])
    client.post(url, {**FULL, "based_on": old})
    client.force_login(teammate)
    # The teammate's tab was opened before the first save and changes one field.
    mine = {**dict.fromkeys(FULL, ""), "website": "Their text"}
    response = client.post(url, {**mine, "based_on": old})
    assert response.status_code == 200
    assert "Campus news, then the teaching centres." in response.text
    stored = LaunchChecklist.objects.get()
    assert stored.website == FULL["website"]


@pytest.mark.parametrize(
    "state", [State.DRAFTING, State.COMMITTEE_REVIEW, State.PUBLISHED, State.RETIRED]
)
def test_it_is_frozen_outside_approval(client, proposer, state):
    proposal = ProposalFactory(proposer=proposer, state=state)
    confirmed_team(proposal)
    client.force_login(proposer)
    page = _page(client, proposal)
    assert page.status_code == 200 and not page.context["editable"]
    response = client.post(
        reverse("development:launch", args=[proposal.pk]), FULL, follow=True
    )
    assert "You cannot work on the launch checklist" in response.text
    assert not LaunchChecklist.objects.exists()


def test_the_proposal_page_and_the_publish_confirmation_show_it(
    client, staff, approved
):
    LaunchChecklist.objects.create(proposal=approved, issuing_option="Credly")
    client.force_login(staff)
    detail = client.get(approved.get_absolute_url())
    assert "Launch checklist" in detail.text
    confirm = client.get(reverse("proposals:transition", args=[approved.pk, "publish"]))
    assert "Launch checklist" in confirm.text
    assert "Not complete yet" in confirm.text


def test_a_proposal_before_approval_shows_no_checklist(client, proposer):
    proposal = ProposalFactory(proposer=proposer, state=State.DRAFTING)
    confirmed_team(proposal)
    client.force_login(proposer)
    assert "Launch checklist" not in client.get(proposal.get_absolute_url()).text


def test_an_imported_credential_has_no_checklist(client, staff):
    proposal = ProposalFactory(state=State.PUBLISHED)
    approved_credential(proposal)
    walk(proposal, "imported")
    client.force_login(staff)
    assert "Launch checklist" not in client.get(proposal.get_absolute_url()).text
