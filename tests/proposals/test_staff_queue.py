"""The staff queue opens on what waits on the office, with the count of each tab from
one grouped query."""

from django.urls import reverse

from proposals.models import Proposal, State
from tests.factories import ProposalFactory

WAITING = [State.SUBMITTED, State.IN_TRIAGE, State.UNDER_REVIEW, State.APPROVED]
NOT_WAITING = [State.DRAFTING, State.COMMITTEE_REVIEW, State.PUBLISHED]


def test_the_queue_opens_on_what_needs_the_office(client, staff):
    for state in [*WAITING, *NOT_WAITING]:
        ProposalFactory(state=state, title=f"Credential {state}")
    client.force_login(staff)
    html = client.get(reverse("proposals:queue")).content.decode()
    for state in WAITING:
        assert f"Credential {state}" in html
    for state in NOT_WAITING:
        assert f"Credential {state}" not in html
    every = client.get(reverse("proposals:queue"), {"state": "all"}).content.decode()
    assert all(f"Credential {s}" in every for s in [*WAITING, *NOT_WAITING])


def test_tab_counts_come_from_one_query(django_assert_num_queries, staff):
    for state in [*WAITING, *NOT_WAITING, State.SUBMITTED]:
        ProposalFactory(state=state)
    with django_assert_num_queries(1):
        counts = Proposal.objects.state_counts()
    assert counts["needs_action"] == 5 and counts["all"] == 8
    assert counts[State.SUBMITTED] == 2
