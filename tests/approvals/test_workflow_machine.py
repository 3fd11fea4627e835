"""A model-based test of the workflow through the real views: the office, the
proposer (team lead), the committee and a would-be collaborator act in any order
(transitions in and out of turn, invitations, calls, join requests, meetings, votes,
closing rounds), and after every step what the proposal's state freezes must hold:
nothing it opened is left open once it is left, the log is one unbroken path, and
no step is ever a server error."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from approvals.models import VotingRound
from metadata_templates import framework
from proposals.freezes import ALLOWED, Action
from proposals.models import Notification, Proposal, State, TransitionLog
from teams.models import CollaboratorCall, Invitation, JoinRequest, Membership, Role
from tests.factories import (
    ProposalFactory,
    UserFactory,
    campus,
    chair_user,
    committee_member,
    complete_draft,
    log_meetings,
    staff_user,
)

ALL_TRANSITIONS = list(Proposal._meta.get_field("state").get_all_transitions(Proposal))
NAMES = sorted({t.name for t in ALL_TRANSITIONS})
# Ways out that `advance` leaves to `fire`, or most runs would end before the deep
# states.
ENDINGS = {"decline", "withdraw", "reject", "retire"}
ACTORS = ["staff", "lead", "chair"]
VOTERS = ["member", "member2", "member3", "chair"]
CHOICES = ["approve", "reject", "return", "abstain"]


class Workflow(RuleBasedStateMachine):
    people: dict = {}

    @initialize()
    def new_proposal(self):
        self.proposal = ProposalFactory(proposer=UserFactory(), state=State.SUBMITTED)
        self.users = {**self.people, "lead": self.proposal.proposer}
        self.clients = {}
        for name, user in self.users.items():
            self.clients[name] = Client()
            self.clients[name].force_login(user)

    def _state(self) -> str:
        return Proposal.objects.values_list("state", flat=True).get(pk=self.proposal.pk)

    def _post(self, who: str, url: str, data: dict | None = None):
        response = self.clients[who].post(url, data or {})
        assert response.status_code < 500, (url, response.status_code)
        return response

    def _round(self) -> VotingRound | None:
        return self.proposal.rounds.order_by("-pk").first()

    @rule(name=st.sampled_from(NAMES), who=st.sampled_from(ACTORS))
    def fire(self, name, who):
        """Anyone asks for any transition, in turn or not, from the page they would
        see (which names the newest revision, for a submission)."""
        newest = self.proposal.revisions.order_by("-number").first()
        self._post(
            who,
            reverse("proposals:transition", args=[self.proposal.pk, name]),
            {
                "note": "Because.",
                "expected_state": self._state(),
                "revision": newest.number if newest else "",
            },
        )

    @rule(data=st.data())
    def advance(self, data):
        """The person whose turn it is moves the proposal forward, usually after the
        team did what the next step needs; in committee review the committee votes
        and the chair closes the round."""
        state = self._state()
        if data.draw(st.booleans()):
            self.meet_conditions()
        if state == State.COMMITTEE_REVIEW:
            for voter in VOTERS:
                self.vote(voter, data.draw(st.sampled_from(CHOICES)))
            self.close_round()
            return
        proposal = Proposal.objects.get(pk=self.proposal.pk)
        moves = [
            (t.name, who)
            for t in ALL_TRANSITIONS
            if t.source == state and t.name not in ENDINGS
            for who in ACTORS
            if t.has_perm(proposal, self.users[who])
        ]
        if moves:
            self.fire(*data.draw(st.sampled_from(moves)))

    @rule()
    def meet_conditions(self):
        """What the team does between transitions: a member from a second campus, a
        complete draft and two meetings (the editor and the meeting log are tested
        on their own)."""
        proposal = Proposal.objects.get(pk=self.proposal.pk)
        state, team = proposal.state, proposal.team_or_none()
        if (
            team
            and state in (State.TEAM_FORMING, State.DRAFTING)
            and not team.memberships.exclude(role=Role.LEAD).exists()
        ):
            Membership.objects.create(
                team=team, user=UserFactory(), role=Role.FACULTY, campus=campus("UMPI")
            )
        if state == State.DRAFTING:
            if not proposal.revisions.exists() or framework.findings_for(proposal):
                complete_draft(proposal)
            if team.meetings.count() < 2:
                log_meetings(team)

    @rule(what=st.sampled_from(["invite", "call", "join", "meeting"]))
    def team_activity(self, what):
        pk = self.proposal.pk
        if what == "invite":
            self._post(
                "lead",
                reverse("teams:invite", args=[pk]),
                {"email": "a@example.edu", "role": Role.FACULTY},
            )
        elif what == "call":
            self._post(
                "staff", reverse("teams:open_call", args=[pk]), {"sought": "A partner"}
            )
        elif what == "join":
            call = CollaboratorCall.objects.filter(
                team__proposal=pk, closed_at=None
            ).first()
            if call is not None:
                self._post(
                    "collaborator",
                    reverse("teams:join", args=[call.pk]),
                    {"organisation": "Acme", "message": "I can help."},
                )
        else:
            members = Membership.objects.filter(team__proposal=pk)
            self._post(
                "lead",
                reverse("teams:meeting_new", args=[pk]),
                {
                    "held_on": datetime.date(2026, 10, 1).isoformat(),
                    "attendees": list(members.values_list("pk", flat=True)),
                    "agenda": "Progress",
                },
            )

    @rule(who=st.sampled_from(VOTERS), choice=st.sampled_from(CHOICES))
    def vote(self, who, choice):
        if (round_ := self._round()) is not None:
            self._post(
                who,
                reverse("committee:action", args=[round_.pk, "vote"]),
                {"choice": choice, "comment": "My view."},
            )

    @rule()
    def close_round(self):
        if (round_ := self._round()) is not None:
            self._post(
                "chair",
                reverse("committee:close", args=[round_.pk]),
                {"note": "The committee's reasons."},
            )

    @invariant()
    def what_the_state_freezes_is_closed(self):
        state = self._state()
        allowed = ALLOWED[state]
        pk = self.proposal.pk
        open_rounds = VotingRound.objects.open().filter(proposal=pk).count()
        assert open_rounds == (1 if state == State.COMMITTEE_REVIEW else 0)
        if Action.TEAM not in allowed:
            assert not Invitation.objects.filter(
                team__proposal=pk, status=Invitation.Status.PENDING
            ).exists()
            assert not JoinRequest.objects.filter(
                call__team__proposal=pk, status=JoinRequest.Status.PENDING
            ).exists()
        if Action.CALLS not in allowed:
            assert not CollaboratorCall.objects.filter(
                team__proposal=pk, closed_at=None
            ).exists()
        waiting = Notification.objects.filter(proposal=pk, read_at=None)
        assert not waiting.exclude(action="").exclude(action__in=allowed).exists()

    @invariant()
    def the_log_is_one_unbroken_path(self):
        steps = list(
            TransitionLog.objects.filter(proposal=self.proposal).values_list(
                "source", "target"
            )
        )
        for (_source, target), (source, _target) in zip(steps, steps[1:], strict=False):
            assert source == target
        if steps:
            assert steps[-1][1] == self._state()


@pytest.mark.django_db
def test_the_workflow_never_leaves_open_what_a_state_freezes():
    Workflow.people = {
        "staff": staff_user(),
        "chair": chair_user(),
        "member": committee_member(),
        "member2": committee_member(),
        "member3": committee_member(),
        "collaborator": UserFactory(),
    }
    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=25,
            stateful_step_count=60,
            deadline=None,
            # The same runs each time, so the depth check below cannot flicker.
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    # A machine that stopped reaching the committee would check little: a change
    # that makes the main path unreachable through the views must fail here.
    reached = set(TransitionLog.objects.values_list("target", flat=True))
    assert {State.COMMITTEE_REVIEW, State.APPROVED} <= reached, reached
