"""The proposer edits the interest form until the office accepts it; each edit is
logged with what the changed fields said before."""

import pytest
from django.urls import reverse

from proposals.models import InterestFormEdit, State
from tests.factories import ProposalFactory


def _data(proposal, **changes) -> dict:
    data = {
        "proposer_name": proposal.proposer_name,
        "proposer_email": proposal.proposer_email,
        "campus": proposal.campus_id,
        "title": proposal.title,
        "credential_type": proposal.credential_type,
        "pathway_type": proposal.pathway_type,
        "description": proposal.description,
        "target_audience": proposal.target_audience,
        "seeking_collaborators": "on",
    }
    return {**data, **changes}


@pytest.mark.parametrize("state", [State.SUBMITTED, State.IN_TRIAGE])
def test_the_proposer_edits_and_the_edit_is_logged(client, proposer, state):
    proposal = ProposalFactory(proposer=proposer, state=state, title="Welding")
    client.force_login(proposer)
    url = reverse("proposals:edit", args=[proposal.pk])
    assert url in client.get(proposal.get_absolute_url()).content.decode()
    assert "Save changes" in client.get(url).content.decode()

    response = client.post(
        url, _data(proposal, title="Welding for Shipyards", pathway_type="lifelong")
    )

    assert response.url == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert proposal.title == "Welding for Shipyards"
    edit = InterestFormEdit.objects.get()
    assert edit.editor == proposer
    assert edit.before == {"title": "Welding", "pathway_type": "Workforce development"}
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Proposed title changed; it said:" in page


def test_saving_without_a_change_logs_nothing(client, proposer, proposal):
    client.force_login(proposer)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]), _data(proposal), follow=True
    )
    assert "Nothing was changed." in response.content.decode()
    assert not InterestFormEdit.objects.exists()


def test_a_refused_edit_keeps_what_was_typed(client, proposer, proposal):
    client.force_login(proposer)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        _data(proposal, title="", description="Now with rope access work."),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page
    assert "Now with rope access work." in page
    assert not InterestFormEdit.objects.exists()


def test_once_accepted_the_interest_form_is_frozen(client, proposer):
    proposal = ProposalFactory(proposer=proposer, state=State.TEAM_FORMING)
    client.force_login(proposer)
    url = reverse("proposals:edit", args=[proposal.pk])
    assert url not in client.get(proposal.get_absolute_url()).content.decode()
    response = client.post(url, _data(proposal, title="Sneaky"), follow=True)
    assert "You cannot edit the interest form while the proposal is" in (
        response.content.decode()
    )
    proposal.refresh_from_db()
    assert proposal.title != "Sneaky"


@pytest.mark.parametrize(("persona", "status"), [("staff", 403), ("outsider", 404)])
def test_only_the_proposer_edits(client, personas, proposal, persona, status):
    client.force_login(personas[persona])
    url = reverse("proposals:edit", args=[proposal.pk])
    assert client.post(url, _data(proposal, title="Other")).status_code == status
    assert client.put(url).status_code == 405 if persona == "staff" else True
    proposal.refresh_from_db()
    assert proposal.title != "Other"
