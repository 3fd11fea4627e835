"""The proposer edits the interest form until the office accepts it; each edit is
logged with what the changed fields said before."""

import pytest
from django.urls import reverse

from bench.load import form_post
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


def _tabs(client, proposal) -> tuple[str, dict, dict]:
    """The edit address and two posts read from it before either tab saves."""
    url = reverse("proposals:edit", args=[proposal.pk])
    return (
        url,
        form_post(client.get(url).text, "interest-form"),
        form_post(client.get(url).text, "interest-form"),
    )


def test_a_stale_tab_keeps_the_newer_description(client, proposer, proposal):
    client.force_login(proposer)
    url, tab_a, tab_b = _tabs(client, proposal)
    tab_a["description"] = ["Now with rope access work."]
    client.post(url, tab_a)
    tab_b["title"] = ["Rope Access"]

    page = client.post(url, tab_b, follow=True).content.decode()

    assert "Your changes are saved" in page
    proposal.refresh_from_db()
    assert proposal.description == "Now with rope access work."
    assert proposal.title == "Rope Access"
    assert [sorted(e.before) for e in InterestFormEdit.objects.order_by("pk")] == [
        ["description"],
        ["title"],
    ]


def test_both_tabs_changing_the_description_is_a_conflict(client, proposer, proposal):
    client.force_login(proposer)
    url, tab_a, tab_b = _tabs(client, proposal)
    tab_a["description"] = ["Now with rope access work."]
    client.post(url, tab_a)
    tab_b |= {"description": ["Confined spaces too."], "title": ["Rope Access"]}

    response = client.post(url, tab_b)

    page = response.content.decode()
    assert "Saved meanwhile: Now with rope access work." in page
    shown = form_post(page, "interest-form")
    assert shown["description"] == ["Confined spaces too."]
    assert shown["title"] == ["Rope Access"]
    proposal.refresh_from_db()
    assert proposal.description == "Now with rope access work."
    assert InterestFormEdit.objects.count() == 1

    client.post(url, shown)
    proposal.refresh_from_db()
    assert (proposal.description, proposal.title) == (
        "Confined spaces too.",
        "Rope Access",
    )
