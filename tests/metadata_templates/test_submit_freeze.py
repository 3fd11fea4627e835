"""Submitting freezes the revision the submitter saw, and no save lands after it:
through the confirmation page, and with submit and save racing on PostgreSQL."""

import copy
import threading

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from approvals import services as workflow
from metadata_templates import services
from proposals.models import Proposal, State
from teams.models import Membership, Role
from tests.factories import (
    ProposalFactory,
    UserFactory,
    campus,
    complete_draft,
    confirmed_team,
    log_meetings,
)
from tests.metadata_templates.posted import posted


def _submit_url(proposal):
    return reverse("proposals:transition", args=[proposal.pk, "submit_draft"])


def _edit(proposal, user, summary):
    current = services.latest(proposal)
    content = copy.deepcopy(current.content)
    content["credential"]["summary"] = summary
    return services.save(proposal, user, content, based_on=current.number)


def test_submitting_freezes_the_revision_on_the_confirmation_page(
    client, drafting, proposer
):
    shown = complete_draft(drafting).number
    client.force_login(proposer)
    page = client.get(_submit_url(drafting))
    assert f"This submits revision {shown} " in page.content.decode()
    client.post(
        _submit_url(drafting), {"expected_state": "drafting", "revision": shown}
    )
    draft = Proposal.objects.get(pk=drafting.pk).drafts.get()
    assert draft.revision.number == shown


def test_a_revision_saved_after_the_page_opened_refuses_the_submission(
    client, drafting, proposer, teammate
):
    shown = complete_draft(drafting).number
    client.force_login(proposer)
    client.get(_submit_url(drafting))
    assert _edit(drafting, teammate, "Changed meanwhile").revision.number == shown + 1
    response = client.post(
        _submit_url(drafting), {"expected_state": "drafting", "revision": shown}
    )
    assert response.url == drafting.get_absolute_url()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Nothing was submitted" in message and f"revision {shown})" in message
    proposal = Proposal.objects.get(pk=drafting.pk)
    assert (proposal.state, proposal.drafts.count()) == (State.DRAFTING, 0)


def test_a_submission_without_the_revision_is_out_of_date(client, drafting, proposer):
    complete_draft(drafting)
    client.force_login(proposer)
    response = client.post(_submit_url(drafting), {"expected_state": "drafting"})
    assert "This page is out of date" in response.content.decode()
    assert Proposal.objects.get(pk=drafting.pk).state == State.DRAFTING


def test_a_save_from_before_the_submission_is_refused_and_keeps_nothing(
    drafting, proposer, teammate
):
    complete_draft(drafting)
    stale = Proposal.objects.get(pk=drafting.pk)
    workflow.perform(drafting, "submit_draft", user=proposer)
    with pytest.raises(ValidationError, match="Under review"):
        _edit(stale, teammate, "Too late")
    assert services.latest(drafting).content["credential"]["summary"] != "Too late"


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("attempt", range(4))
def test_submit_and_save_at_once_never_freeze_an_unseen_revision(attempt):
    lead, mate = UserFactory(), UserFactory()
    proposal = ProposalFactory(proposer=lead, state=State.DRAFTING)
    team = confirmed_team(proposal, lead=lead)
    Membership.objects.create(
        team=team, user=mate, role=Role.FACULTY, campus=campus("UMF")
    )
    log_meetings(team)
    shown = complete_draft(proposal).number
    barrier = threading.Barrier(2)
    results = {}

    def run(name, action):
        try:
            mine = Proposal.objects.get(pk=proposal.pk)
            barrier.wait(timeout=10)
            try:
                results[name] = action(mine)
            except (workflow.StaleRevision, ValidationError) as error:
                results[name] = error
        finally:
            connection.close()

    def submit(mine):
        return workflow.perform(mine, "submit_draft", user=lead, revision=shown)

    def save(mine):
        return _edit(mine, mate, f"Saved at once ({attempt})")

    threads = [
        threading.Thread(target=run, args=("submit", submit)),
        threading.Thread(target=run, args=("save", save)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    final = Proposal.objects.get(pk=proposal.pk)
    newest = services.latest(final).number
    if isinstance(results["submit"], workflow.StaleRevision):
        # The save came first: it landed, and the submission was refused as stale.
        assert results["save"].revision.number == newest == shown + 1
        assert (final.state, final.drafts.count()) == (State.DRAFTING, 0)
    else:
        # The submission came first: the save was refused, Draft 1 is what was seen.
        assert isinstance(results["save"], ValidationError) and newest == shown
        assert final.state == State.UNDER_REVIEW
        assert [d.revision.number for d in final.drafts.all()] == [shown]


def test_a_save_that_loses_the_race_keeps_the_text_on_the_page(
    client, drafting, proposer, monkeypatch
):
    complete_draft(drafting)
    client.force_login(proposer)
    page = client.get(reverse("drafts:editor", args=[drafting.pk])).context["form"]
    data = posted(page, **{"c-summary": "Typed while it was submitted"})
    workflow.perform(drafting, "submit_draft", user=proposer)
    # The submission commits between the editor's permission check and its save.
    monkeypatch.setattr("metadata_templates.views.may_edit", lambda p, u: True)
    response = client.post(reverse("drafts:editor", args=[drafting.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved: You cannot change the meta-data template" in html
    assert "Typed while it was submitted" in html
    assert drafting.revisions.count() == 2
