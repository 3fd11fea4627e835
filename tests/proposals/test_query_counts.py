"""List and detail pages run a fixed number of queries, however many rows there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services
from proposals.models import Proposal, State
from teams.models import Meeting
from tests.factories import ProposalFactory, confirmed_team, ready_for_review


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def _add_rows(proposer, staff, n):
    for _ in range(n):
        for state in (State.SUBMITTED, State.UNDER_REVIEW, State.COMMITTEE_REVIEW):
            proposal = ProposalFactory(proposer=proposer, state=state)
            services.submit_interest_form(proposal, user=proposer)


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("proposer", "dashboard"),
        ("staff", "dashboard"),
        ("chair", "dashboard"),
        ("proposer", "proposals:mine"),
        ("staff", "proposals:queue"),
        ("member", "proposals:committee"),
        ("proposer", "proposals:notifications"),
    ],
)
def test_list_pages_do_not_grow_with_rows(
    client, personas, proposer, staff, persona, url_name
):
    client.force_login(personas[persona])
    url = reverse(url_name)
    _add_rows(proposer, staff, 1)
    with_few = _count(client, url)
    _add_rows(proposer, staff, 8)
    assert _count(client, url) == with_few


def test_staff_queue_query_budget(client, staff, proposer, django_assert_num_queries):
    _add_rows(proposer, staff, 3)
    client.force_login(staff)
    # session, the user with its roles, state counts, page count, page rows,
    # campuses for the filter, unread count
    with django_assert_num_queries(7):
        client.get(reverse("proposals:queue"))


def test_detail_page_does_not_grow_with_history(client, staff, proposer, chair):
    proposal = ProposalFactory(proposer=proposer, state=State.UNDER_REVIEW)
    ready_for_review(proposal)
    client.force_login(staff)
    url = proposal.get_absolute_url()
    services.perform(proposal, "request_revisions", user=staff, note="More detail.")
    short = _count(client, url)
    for _ in range(5):
        services.perform(proposal, "submit_draft", user=proposer)
        services.perform(proposal, "request_revisions", user=staff, note="Again.")
    assert _count(client, url) == short


def test_detail_page_query_budget(client, staff, proposer, django_assert_num_queries):
    proposal = ProposalFactory(proposer=proposer, state=State.TEAM_FORMING)
    confirmed_team(proposal)
    client.force_login(staff)
    # session, the user with its roles, proposal with its campus and the reader's
    # part in its team (may they attach), mark notifications read, timeline with
    # actors, team, team composition (start development's condition), submitted
    # drafts, whether a template exists, voting rounds, interest form edits,
    # attachments, unread count
    with django_assert_num_queries(13):
        client.get(proposal.get_absolute_url())


@pytest.mark.parametrize("meetings", [None, 0, 1, 3])
def test_meetings_read_with_the_proposal_are_the_meetings_logged(
    proposer, meetings, django_assert_num_queries
):
    """with_meetings_logged counts as meeting_problems' own query does (None: the
    proposal has no team yet), and spares it."""
    proposal = ProposalFactory(proposer=proposer, state=State.DRAFTING)
    if meetings is not None:
        team = confirmed_team(proposal)
        for day in range(meetings):
            Meeting.objects.create(team=team, held_on=f"2026-10-{day + 1:02d}")
    asked = Proposal.objects.get(pk=proposal.pk).meeting_problems()
    read = Proposal.objects.with_meetings_logged().get(pk=proposal.pk)
    with django_assert_num_queries(0):
        assert read.meeting_problems() == asked
    assert read.meetings_logged == (meetings or 0)
