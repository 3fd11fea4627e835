"""Calls for collaborators, join requests, the meeting log and employer input."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from approvals import services as workflow
from proposals.models import Notification, State
from teams import services
from teams.models import (
    CollaboratorCall,
    EmployerInput,
    JoinRequest,
    Meeting,
    Membership,
    Role,
)
from tests.factories import ProposalFactory, UserFactory, campus, complete_draft


@pytest.fixture
def call(team, staff):
    return services.open_call(team, by=staff, sought="Nursing faculty from the north")


def test_an_open_call_shows_on_other_faculty_dashboards_not_members(
    client, call, outsider, proposer
):
    client.force_login(outsider)
    assert list(client.get(reverse("dashboard")).context["calls"]) == [call]
    client.force_login(proposer)
    assert list(client.get(reverse("dashboard")).context["calls"]) == []


def test_request_to_join_then_accept_adds_the_member(
    client, call, team, outsider, proposer
):
    client.force_login(outsider)
    response = client.post(
        reverse("teams:join", args=[call.pk]),
        {"campus": campus("UMFK").pk, "message": "I teach NUR-310."},
    )
    assert response.url == reverse("dashboard")
    join = JoinRequest.objects.get()
    assert Notification.objects.filter(recipient=proposer).exists()
    client.force_login(proposer)
    client.post(
        reverse("teams:decide_request", args=[team.proposal_id, join.pk, "accept"]),
        {"role": Role.FACULTY},
    )
    membership = Membership.objects.get(team=team, user=outsider)
    assert (membership.role, membership.campus.short_name) == (Role.FACULTY, "UMFK")
    join.refresh_from_db()
    assert (join.status, join.decided_by) == (JoinRequest.Status.ACCEPTED, proposer)
    assert Notification.objects.filter(recipient=outsider).exists()


def test_a_refused_request_adds_no_one_and_cannot_be_decided_twice(
    call, team, outsider, staff
):
    join = services.request_to_join(
        call, outsider, campus=campus("UMM"), organisation="", message="Keen"
    )
    services.decide_join_request(join, by=staff, accept=False)
    assert not Membership.objects.filter(user=outsider).exists()
    with pytest.raises(ValidationError, match="already been decided"):
        services.decide_join_request(join, by=staff, accept=True)


def test_one_request_per_person_and_none_from_members(call, outsider, proposer):
    services.request_to_join(
        call, outsider, campus=None, organisation="Acme", message="x"
    )
    with pytest.raises(ValidationError, match="already asked"):
        services.request_to_join(
            call, outsider, campus=None, organisation="Acme", message="x"
        )
    with pytest.raises(ValidationError, match="already on this team"):
        services.request_to_join(
            call, proposer, campus=None, organisation="Acme", message="x"
        )


def test_join_form_needs_a_campus_or_organisation_and_keeps_the_message(
    client, call, outsider
):
    client.force_login(outsider)
    response = client.post(reverse("teams:join", args=[call.pk]), {"message": "Hello"})
    assert "Choose your campus" in response.content.decode()
    assert response.context["form"]["message"].value() == "Hello"
    assert not JoinRequest.objects.exists()


def test_calls_close_and_only_open_while_forming(client, call, team, staff, outsider):
    with pytest.raises(ValidationError, match="already has an open call"):
        services.open_call(team, by=staff, sought="more")
    services.close_call(call)
    client.force_login(outsider)
    assert client.get(reverse("teams:join", args=[call.pk])).status_code == 404
    in_review = ProposalFactory(state=State.UNDER_REVIEW)
    other_team = services.form_team(in_review)
    with pytest.raises(ValidationError, match="cannot seek collaborators"):
        services.open_call(other_team, by=staff, sought="x")


def test_only_staff_open_calls(client, team, proposer, staff):
    url = reverse("teams:open_call", args=[team.proposal_id])
    client.force_login(proposer)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    client.post(url, {"sought": "An employer partner"})
    assert CollaboratorCall.objects.get().opened_by == staff


def test_members_log_meetings_with_attendees_from_the_team(
    client, team, proposer, teammate
):
    client.force_login(teammate)
    attendees = [m.pk for m in team.memberships.all()]
    response = client.post(
        reverse("teams:meeting_new", args=[team.proposal_id]),
        {
            "held_on": "2026-10-05",
            "attendees": attendees,
            "agenda": "Level 1 criteria",
            "decisions": "Quiz at 80 %",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.recorded_by == teammate
    assert set(meeting.attendees.values_list("pk", flat=True)) == set(attendees)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": "2999-01-01"}, "in the future"),
        ({"attendees": "ONE"}, "at least two attendees"),
        ({"held_on": "not a date"}, "Enter a valid date"),
    ],
)
def test_bad_meeting_input_is_explained_and_kept(
    client, team, teammate, changes, message
):
    client.force_login(teammate)
    attendees = [m.pk for m in team.memberships.all()]
    data = {"held_on": "2026-10-05", "attendees": attendees, "agenda": "Keep me"}
    if changes.get("attendees") == "ONE":
        changes = {"attendees": attendees[:1]}
    response = client.post(
        reverse("teams:meeting_new", args=[team.proposal_id]), {**data, **changes}
    )
    assert message in response.content.decode()
    assert response.context["form"]["agenda"].value() == "Keep me"
    assert not Meeting.objects.exists()


def test_attendees_must_come_from_this_team(client, team, teammate):
    stranger = Membership.objects.create(
        team=services.form_team(ProposalFactory(state=State.DRAFTING)),
        user=UserFactory(),
        role=Role.FACULTY,
    )
    client.force_login(teammate)
    response = client.post(
        reverse("teams:meeting_new", args=[team.proposal_id]),
        {"held_on": "2026-10-05", "attendees": [stranger.pk], "agenda": "x"},
    )
    assert "Select a valid choice" in response.content.decode()


def test_employer_input_is_recorded(client, team, teammate):
    client.force_login(teammate)
    client.post(
        reverse("teams:employer_input_new", args=[team.proposal_id]),
        {
            "person": "Pat Moreau",
            "organisation": "Bath Iron Works",
            "given_on": "2026-10-02",
            "summary": "Blueprint reading is the gap.",
        },
    )
    entry = EmployerInput.objects.get()
    assert (entry.organisation, entry.recorded_by) == ("Bath Iron Works", teammate)
    assert entry.given_on == datetime.date(2026, 10, 2)


def test_editing_a_meeting(client, team, teammate, proposer):
    client.force_login(teammate)
    meeting = Meeting.objects.create(team=team, held_on="2026-10-01", agenda="Old")
    meeting.attendees.set(team.memberships.all())
    client.post(
        reverse("teams:meeting_edit", args=[team.proposal_id, meeting.pk]),
        {
            "held_on": "2026-10-01",
            "attendees": [m.pk for m in team.memberships.all()],
            "agenda": "New",
        },
    )
    meeting.refresh_from_db()
    assert meeting.agenda == "New"


def test_start_development_needs_a_lead_and_two_campuses(
    forming, team, staff, settings
):
    assert forming.team_problems()[0].startswith("Campuses on the team: 1 of the 2")
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.perform(forming, "start_development", user=staff)
    Membership.objects.create(
        team=team, user=UserFactory(), role=Role.FACULTY, campus=campus("UMPI")
    )
    assert forming.team_problems() == []
    settings.TEAM_MIN_CAMPUSES = 3
    assert "2 of the 3 needed" in forming.team_problems()[0]
    settings.TEAM_MIN_CAMPUSES = 2
    Membership.objects.filter(team=team, role=Role.LEAD).update(role=Role.FACULTY)
    assert forming.team_problems() == ["Choose a team lead on the team page."]
    services.make_lead(team.memberships.first())
    workflow.perform(forming, "start_development", user=staff)
    assert forming.state == State.DRAFTING


def test_the_lead_may_start_development(forming, team, proposer):
    Membership.objects.create(
        team=team, user=UserFactory(), role=Role.FACULTY, campus=campus("UMPI")
    )
    workflow.perform(forming, "start_development", user=proposer)
    assert forming.state == State.DRAFTING


def test_employer_partners_do_not_count_as_a_campus(forming, team):
    Membership.objects.create(
        team=team, user=UserFactory(), role=Role.EMPLOYER, organisation="Acme"
    )
    assert forming.team_problems()


def test_submit_draft_needs_two_meetings(proposer, teammate, team, settings):
    proposal = team.proposal
    proposal.__class__.objects.filter(pk=proposal.pk).update(state=State.DRAFTING)
    proposal.refresh_from_db()
    complete_draft(proposal)
    meeting = Meeting.objects.create(team=team, held_on="2026-10-01", agenda="a")
    assert "logged: 1 of the 2 needed" in proposal.meeting_problems()[0]
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.perform(proposal, "submit_draft", user=teammate)
    Meeting.objects.create(team=team, held_on="2026-10-08", agenda="b")
    workflow.perform(proposal, "submit_draft", user=teammate)
    assert proposal.state == State.UNDER_REVIEW
    assert meeting.pk


def test_the_proposal_page_says_what_blocks_a_transition(client, forming, staff):
    client.force_login(staff)
    response = client.get(forming.get_absolute_url())
    html = response.content.decode()
    assert "Not yet possible" in html
    assert "Campuses on the team: 1 of the 2 needed" in html
    assert [t.name for t in response.context["actions"]] == ["withdraw"]
