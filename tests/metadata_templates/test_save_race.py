"""Two team members saving the same draft at the same moment, on real PostgreSQL
connections: neither edit is lost."""

import copy
import threading

import pytest
from django.db import connection

from metadata_templates import services
from proposals.models import Proposal, State
from teams.models import Membership, Role
from teams.services import form_team
from tests.factories import ProposalFactory, UserFactory, campus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent PostgreSQL connections",
    ),
]


def _setup():
    proposal = ProposalFactory(state=State.DRAFTING)
    team_users = [UserFactory(username="a"), UserFactory(username="b")]
    team = form_team(proposal)
    for user in team_users:
        Membership.objects.create(
            team=team, user=user, role=Role.FACULTY, campus=campus("UMF")
        )
    services.start_template(proposal)
    return proposal, team_users


def _race(proposal_pk, edits):
    barrier = threading.Barrier(len(edits))
    outcomes = [None] * len(edits)

    def run(index, user, change):
        try:
            proposal = Proposal.objects.get(pk=proposal_pk)
            base = services.latest(proposal)
            content = copy.deepcopy(base.content)
            change(content)
            barrier.wait(timeout=10)
            outcomes[index] = services.save(
                proposal, user, content, based_on=base.number
            )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, *edit)) for i, edit in enumerate(edits)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _set(section, field, value, badge_index=None):
    def change(content):
        if badge_index is None:
            content["credential"][field] = value
        else:
            content["badges"][badge_index][field] = value

    return change


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_concurrent_saves_of_different_fields_both_land():
    proposal, (a, b) = _setup()
    outcomes = _race(
        proposal.pk,
        [
            (a, _set("credential", "summary", "A's summary")),
            (b, _set("badge", "criteria", "B's criteria", 0)),
        ],
    )
    assert all(o.revision is not None and not o.conflicts for o in outcomes)
    latest = services.latest(Proposal.objects.get(pk=proposal.pk))
    assert latest.number == 3
    assert latest.content["credential"]["summary"] == "A's summary"
    assert latest.content["badges"][0]["criteria"] == "B's criteria"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_concurrent_saves_of_the_same_field_give_one_conflict_and_lose_nothing():
    proposal, (a, b) = _setup()
    outcomes = _race(
        proposal.pk,
        [
            (a, _set("credential", "summary", "A's summary")),
            (b, _set("credential", "summary", "B's summary")),
        ],
    )
    saved = [o for o in outcomes if o.revision is not None]
    conflicted = [o for o in outcomes if o.conflicts]
    assert len(saved) == 1 and len(conflicted) == 1
    [conflict] = conflicted[0].conflicts
    latest = services.latest(Proposal.objects.get(pk=proposal.pk))
    assert latest.number == 2
    assert {conflict.mine, conflict.theirs} == {"A's summary", "B's summary"}
    assert conflicted[0].content["credential"]["summary"] == conflict.mine
    assert latest.content["credential"]["summary"] == conflict.theirs
