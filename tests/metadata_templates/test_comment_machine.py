"""A model-based test of review comments through the real views: staff, the team, a
committee member and an outsider comment, reply, resolve and reopen in any order
while the draft goes back and forth between the team and the office and on to the
committee. After every step the comments, their threads and the proposal's state
are what a shadow of the rules says, and no step is a server error."""

import itertools

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

from approvals import services as workflow
from metadata_templates.models import CommentEvent, ReviewComment
from metadata_templates.services import newest_number
from proposals.models import State
from teams.models import Membership, Role
from tests.factories import (
    ProposalFactory,
    UserFactory,
    complete_draft,
    confirmed_team,
    log_meetings,
)

PEOPLE = ["lead", "teammate", "staff", "member", "outsider"]
# Who acts, drawn mostly from those who may, so that runs build long threads.
ACTORS = st.sampled_from(["staff", "teammate", "lead", "staff", *PEOPLE])
TEAM = {"lead", "teammate"}
ANSWERING = {State.DRAFTING, State.UNDER_REVIEW}
FIELDS = ["title", "summary", "alignments", "prerequisites", "criteria"]


class Comments(RuleBasedStateMachine):
    people: dict = {}
    numbers = itertools.count(1)
    # What the runs did, over all of them: each kind of thread step at least once.
    done: set = set()

    @initialize()
    def new_proposal(self):
        self.proposal = ProposalFactory(
            proposer=self.people["lead"],
            state=State.TEAM_FORMING,
            title=f"Machine {next(self.numbers)}",
        )
        confirmed_team(self.proposal)
        Membership.objects.create(
            team=self.proposal.team, user=self.people["teammate"], role=Role.DESIGNER
        )
        log_meetings(self.proposal.team)
        workflow.perform(self.proposal, "start_development", user=self.people["staff"])
        complete_draft(self.proposal)
        workflow.perform(self.proposal, "submit_draft", user=self.people["lead"])
        self.state = State.UNDER_REVIEW
        # pk -> who resolved it (None while open); pk -> number of thread events.
        # Each run starts with a comment, so that threads grow from the first step.
        first = self.proposal.drafts.get().comments.create(
            field="title", body="Shorter?", author=self.people["staff"]
        )
        self.resolver, self.events = {first.pk: None}, {first.pk: 0}
        self.clients = {}
        for name, user in self.people.items():
            self.clients[name] = Client()
            self.clients[name].force_login(user)

    def _post(self, who: str, name: str, args: list, data: dict, **extra):
        url = reverse(name, args=[self.proposal.pk, *args])
        response = self.clients[who].post(url, data, **extra)
        assert response.status_code < 500, (url, response.status_code)
        return response

    def _comment(self, index: int) -> int:
        pks = sorted(self.resolver)
        return pks[index % len(pks)]

    @rule(who=ACTORS, field=st.sampled_from(FIELDS))
    def comment(self, who, field):
        draft = self.proposal.drafts.order_by("-number").first()
        content = draft.revision.content
        badge = content["badges"][0]["key"] if field not in ("title", "summary") else ""
        response = self._post(
            who,
            "drafts:comment",
            [draft.number],
            {"field": field, "badge": badge, "body": f"About {field}."},
            HTTP_X_REQUESTED_WITH="fetch",
        )
        if who == "staff" and self.state != State.UNDER_REVIEW:
            assert "You cannot comment" in response.json()["error"]
        elif who == "staff":
            assert response.status_code == 201
            pk = ReviewComment.objects.filter(draft__proposal=self.proposal).latest(
                "pk"
            )
            self.resolver[pk.pk], self.events[pk.pk] = None, 0
        else:
            assert response.status_code == (404 if who == "outsider" else 403)

    def _may_answer(self, who: str) -> bool:
        return (who in TEAM or who == "staff") and self.state in ANSWERING

    @rule(who=ACTORS, index=st.integers(0, 5))
    def reply(self, who, index):
        pk = self._comment(index)
        self._post(who, "drafts:reply", [pk], {"body": "An answer."})
        if self._may_answer(who):
            self.events[pk] += 1
            self.done.add(CommentEvent.Kind.REPLY)

    @rule(who=ACTORS, index=st.integers(0, 5))
    def resolve_or_reopen(self, who, index):
        """The comment's button: "Mark resolved" while it is open, "Reopen" once
        resolved (pressed by anyone, allowed or not)."""
        pk = self._comment(index)
        resolver = self.resolver[pk]
        if resolver is None:
            self._post(who, "drafts:resolve", [pk], {})
            if self._may_answer(who):
                self.resolver[pk] = who
                self.events[pk] += 1
                self.done.add(CommentEvent.Kind.RESOLVED)
            return
        self._post(who, "drafts:reopen", [pk], {})
        if self._may_answer(who) and who in ("staff", resolver):
            self.resolver[pk] = None
            self.events[pk] += 1
            self.done.add(CommentEvent.Kind.REOPENED)

    # Forwarding ends the review, so it is drawn less often than the other two.
    @rule(
        name=st.sampled_from(
            [*["request_revisions", "submit_draft"] * 2, "forward_to_committee"]
        ),
        confirm=st.booleans(),
    )
    def decide(self, name, confirm):
        """The office or the team moves the draft on (each by the person whose step
        it is); forwarding with open comments goes through only when confirmed."""
        who = "lead" if name == "submit_draft" else "staff"
        open_pks = sorted(pk for pk, by in self.resolver.items() if by is None)
        data = {
            "expected_state": self.state,
            "note": "Please revise.",
            "revision": newest_number(self.proposal),
            "open_seen": ",".join(str(pk) for pk in open_pks),
        }
        if confirm:
            data["confirm_open"] = "on"
        self._post(who, "proposals:transition", [name], data)
        if name == "request_revisions" and self.state == State.UNDER_REVIEW:
            self.state = State.DRAFTING
        elif name == "submit_draft" and self.state == State.DRAFTING:
            self.state = State.UNDER_REVIEW
        elif (
            name == "forward_to_committee"
            and self.state == State.UNDER_REVIEW
            and (confirm or not open_pks)
        ):
            self.state = State.COMMITTEE_REVIEW
        self.done.add(self.state)

    @invariant()
    def the_record_is_what_the_rules_say(self):
        self.proposal.refresh_from_db()
        assert self.proposal.state == self.state
        comments = ReviewComment.objects.filter(draft__proposal=self.proposal)
        stored = {c.pk: c.resolved_by for c in comments.select_related("resolved_by")}
        assert set(stored) == set(self.resolver)
        for pk, resolver in self.resolver.items():
            expected = self.people[resolver] if resolver else None
            assert stored[pk] == expected, (pk, resolver)
            assert CommentEvent.objects.filter(comment=pk).count() == self.events[pk]


@pytest.fixture
def teammate_user(db):
    return UserFactory(username="dana")


@pytest.mark.django_db
def test_comments_follow_their_rules_through_the_views(
    proposer, staff, member, outsider, teammate_user
):
    Comments.people = {
        "lead": proposer,
        "teammate": teammate_user,
        "staff": staff,
        "member": member,
        "outsider": outsider,
    }
    run_state_machine_as_test(
        Comments,
        settings=settings(
            max_examples=20,
            stateful_step_count=30,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    wanted = {*CommentEvent.Kind.values, State.DRAFTING, State.COMMITTEE_REVIEW}
    assert wanted <= Comments.done, Comments.done
