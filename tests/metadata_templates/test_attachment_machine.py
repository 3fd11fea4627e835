"""The lead attaches and removes files through the real views while the draft goes
back and forth between the team and the office (a hypothesis state machine). After
every step the proposal's files and the working draft's are exactly those the model
expects, each submitted draft keeps exactly the files it was submitted with, and no
file is kept that nothing holds."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from approvals import services as workflow
from metadata_templates.models import Attachment
from proposals.models import State
from tests.factories import ProposalFactory, ready_for_review, staff_user

TARGETS = ("proposal", "draft")
# Where files may change: the proposal's in both states, the draft's while drafting.
OPEN = {State.DRAFTING: {"proposal", "draft"}, State.UNDER_REVIEW: {"proposal"}}


class Attaching(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.proposal = ProposalFactory(state=State.TEAM_FORMING)
        ready_for_review(self.proposal)
        self.staff = staff_user()
        workflow.perform(self.proposal, "start_development", user=self.staff)
        self.lead = Client()
        self.lead.force_login(self.proposal.proposer)
        self.state = State.DRAFTING
        self.files = {"proposal": set(), "draft": set()}
        self.drafts: list[set[int]] = []
        self.uploads = 0

    def _post(self, name: str, *args, data=None):
        return self.lead.post(reverse(name, args=[self.proposal.pk, *args]), data)

    @rule(place=st.sampled_from(TARGETS))
    def attach(self, place):
        self.uploads += 1
        before = set(Attachment.objects.values_list("pk", flat=True))
        response = self._post(
            "attachments:list",
            data={
                "attached_to": place,
                "kind": "rubric",
                "file": SimpleUploadedFile(
                    f"file-{self.uploads}.pdf", b"%PDF-1.4\n%" + bytes(self.uploads)
                ),
            },
        )
        added = set(Attachment.objects.values_list("pk", flat=True)) - before
        if place in OPEN[self.state]:
            assert response.status_code == 302
            assert len(added) == 1
            self.files[place] |= added
        else:
            # The working draft is not offered while the office reviews it.
            assert response.status_code == 200
            assert added == set()

    @precondition(lambda self: self.files["proposal"] or self.files["draft"])
    @rule(data=st.data())
    def remove(self, data):
        place = data.draw(
            st.sampled_from([t for t in TARGETS if self.files[t]]), label="place"
        )
        pk = data.draw(st.sampled_from(sorted(self.files[place])), label="file")
        self._post("attachments:remove", pk)
        if place in OPEN[self.state]:
            self.files[place].discard(pk)

    @precondition(lambda self: self.state == State.DRAFTING)
    @rule()
    def submit(self):
        workflow.perform(self.proposal, "submit_draft", user=self.proposal.proposer)
        self.state = State.UNDER_REVIEW
        self.drafts.append(set(self.files["draft"]))

    @precondition(lambda self: self.state == State.UNDER_REVIEW)
    @rule()
    def request_revisions(self):
        workflow.perform(
            self.proposal, "request_revisions", user=self.staff, note="More, please."
        )
        self.state = State.DRAFTING

    @invariant()
    def every_file_is_where_it_belongs(self):
        if not hasattr(self, "proposal"):
            return
        attachments = self.proposal.attachments
        held = attachments.by_target()
        for target in TARGETS:
            assert {a.pk for a in held[target]} == self.files[target], target
        drafts = self.proposal.drafts.order_by("number").prefetch_related("attachments")
        frozen = [{a.pk for a in draft.attachments.all()} for draft in drafts]
        assert frozen == self.drafts
        kept = set(attachments.values_list("pk", flat=True))
        assert kept == set().union(*self.files.values(), *self.drafts)


@pytest.mark.django_db
def test_files_follow_the_drafts_they_were_submitted_with():
    run_state_machine_as_test(
        Attaching,
        settings=settings(
            max_examples=6,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
