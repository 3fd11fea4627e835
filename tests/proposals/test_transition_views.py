import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from approvals import services
from proposals.models import Proposal, State, TransitionLog
from teams.services import form_team
from tests.factories import ProposalFactory


def _url(proposal, name):
    return reverse("proposals:transition", args=[proposal.pk, name])


def test_confirmation_page_shows_the_action_and_a_note_field(client, staff, proposal):
    client.force_login(staff)
    response = client.get(_url(proposal, "triage"))
    html = response.content.decode()
    assert "Start triage" in html
    assert 'name="note"' in html
    assert 'name="expected_state" value="submitted"' in html


def test_confirming_fires_the_transition_and_says_so(client, staff, proposal):
    client.force_login(staff)
    response = client.post(
        _url(proposal, "triage"), {"expected_state": "submitted", "note": "On it."}
    )
    assert response.url == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert proposal.state == State.IN_TRIAGE
    assert TransitionLog.objects.get().note == "On it."
    assert "now “In triage”" in str(list(get_messages(response.wsgi_request))[0])


def test_a_missing_reason_is_explained_and_nothing_changes(client, staff, proposal):
    client.force_login(staff)
    response = client.post(
        _url(proposal, "decline"), {"expected_state": "submitted", "note": "  "}
    )
    assert response.status_code == 200
    assert "required" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED


def test_acting_on_a_proposal_that_moved_on_changes_nothing(client, staff, proposal):
    other = Proposal.objects.get(pk=proposal.pk)
    services.perform(other, "triage", user=staff)
    client.force_login(staff)
    response = client.post(
        _url(proposal, "decline"), {"expected_state": "submitted", "note": "Dup."}
    )
    assert response.url == proposal.get_absolute_url()
    message = str(list(get_messages(response.wsgi_request))[0])
    assert "Nothing was changed" in message and "In triage" in message
    assert "Your note was: “Dup.”" in message
    proposal.refresh_from_db()
    assert proposal.state == State.IN_TRIAGE


def test_an_action_not_possible_now_redirects_with_a_message(client, staff, proposal):
    client.force_login(staff)
    response = client.get(_url(proposal, "publish"))
    assert response.url == proposal.get_absolute_url()
    assert "not possible" in str(list(get_messages(response.wsgi_request))[0])


def test_an_action_waiting_on_something_says_what(client, proposer):
    drafting = ProposalFactory(proposer=proposer, state=State.DRAFTING)
    form_team(drafting)
    client.force_login(proposer)
    response = client.get(_url(drafting, "submit_draft"))
    message = str(list(get_messages(response.wsgi_request))[0])
    assert response.url == drafting.get_absolute_url()
    assert message.startswith("“Submit draft for review” needs this first:")
    assert "not possible while" not in message


def test_a_tampered_expected_state_is_a_form_error_not_a_crash(client, staff, proposal):
    client.force_login(staff)
    response = client.post(_url(proposal, "triage"), {"expected_state": "<script>"})
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED


@pytest.mark.parametrize(
    ("persona", "labels"),
    [
        ("staff", ["Triage and accept", "Start triage", "Decline", "Withdraw"]),
        ("proposer", ["Withdraw"]),
        ("member", []),
    ],
)
def test_buttons_come_from_the_transitions_the_user_may_fire(
    client, personas, proposal, persona, labels
):
    client.force_login(personas[persona])
    response = client.get(proposal.get_absolute_url())
    assert [str(t.custom["label"]) for t in response.context["actions"]] == labels


def test_the_timeline_and_stepper_show_the_history(client, staff, proposal):
    services.perform(proposal, "triage", user=staff)
    services.perform(proposal, "decline", user=staff, note="Covered by CLE.")
    client.force_login(staff)
    response = client.get(proposal.get_absolute_url())
    html = response.content.decode()
    assert "Covered by CLE." in html
    assert [e.transition for e in response.context["timeline"]] == ["triage", "decline"]
    statuses = [s["status"] for s in response.context["steps"]]
    assert statuses[:2] == ["done", "done"]
    assert "current" not in statuses
    assert "This proposal has ended" in html
