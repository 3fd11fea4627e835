"""Staff forward a draft, having confirmed its open comments, while another adds a
comment, on real PostgreSQL connections: either the comment lands first and the
forward is refused (the comments it confirmed changed), or the forward lands first
and the comment is refused (the committee's draft takes none); never a forward with
a comment nobody confirmed."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from approvals import services as workflow
from metadata_templates import services
from metadata_templates.forms import CommentForm
from metadata_templates.models import ReviewComment
from proposals.models import Proposal, State
from tests.factories import (
    ProposalFactory,
    UserFactory,
    complete_draft,
    confirmed_team,
    log_meetings,
    staff_user,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent PostgreSQL connections",
    ),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_comment_and_a_forward_at_once_never_forward_it_unconfirmed():
    forwarder, commenter = staff_user(username="a"), staff_user(username="b")
    proposal = ProposalFactory(proposer=UserFactory(), state=State.TEAM_FORMING)
    confirmed_team(proposal)
    log_meetings(proposal.team)
    workflow.perform(proposal, "start_development", user=forwarder)
    complete_draft(proposal)
    workflow.perform(proposal, "submit_draft", user=proposal.proposer)
    draft = proposal.drafts.get()
    first = draft.comments.create(field="title", body="Shorter?", author=commenter)
    barrier = threading.Barrier(2)
    outcomes = {}

    def forward():
        try:
            mine = Proposal.objects.get(pk=proposal.pk)
            barrier.wait(timeout=10)
            workflow.perform(
                mine, "forward_to_committee", user=forwarder, open_comments=[first.pk]
            )
            outcomes["forward"] = "done"
        except ValidationError:
            outcomes["forward"] = "refused"
        finally:
            close_old_connections()
            connection.close()

    def comment():
        try:
            form = CommentForm(
                {"field": "summary", "badge": "", "body": "Who is it for?"},
                content=draft.revision.content,
            )
            assert form.is_valid()
            barrier.wait(timeout=10)
            services.add_comment(form, draft, commenter)
            outcomes["comment"] = "done"
        except ValidationError:
            outcomes["comment"] = "refused"
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=forward), threading.Thread(target=comment)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["done", "refused"], outcomes
    proposal.refresh_from_db()
    if outcomes["forward"] == "done":
        assert proposal.state == State.COMMITTEE_REVIEW
        assert ReviewComment.objects.count() == 1
    else:
        assert proposal.state == State.UNDER_REVIEW
        assert ReviewComment.objects.count() == 2
