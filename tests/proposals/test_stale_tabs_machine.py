"""A model-based test of tabs on one interest form, through the real views: tabs
open, type and save in any order. The model is the merge rule itself: a save whose
page is older than the record takes what only the other side changed, and a field
both changed differently saves nothing and brings the form back with the typed value
kept. After every step the stored form is exactly what the model says: no save is
ever lost without the person being told."""

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
    precondition,
    rule,
    run_state_machine_as_test,
)

from bench.load import form_post
from proposals.models import Proposal, State
from tests.factories import ProposalFactory

FIELDS = ["title", "description"]
FORM = "interest-form"


class Tabs(RuleBasedStateMachine):
    proposer = None

    @initialize()
    def new_proposal(self):
        self.proposal = ProposalFactory(proposer=self.proposer, state=State.SUBMITTED)
        self.url = reverse("proposals:edit", args=[self.proposal.pk])
        self.client = Client()
        self.client.force_login(self.proposer)
        self.stored = self._read()
        # Per tab: what it posts, and the values its page was based on.
        self.open: dict[int, tuple[dict, dict]] = {}
        self.numbers = itertools.count()

    def _read(self) -> dict:
        proposal = Proposal.objects.get(pk=self.proposal.pk)
        return {name: getattr(proposal, name) for name in FIELDS}

    def _tab(self, pick: int) -> int:
        return sorted(self.open)[pick % len(self.open)]

    @precondition(lambda self: len(self.open) < 3)
    @rule()
    def open_tab(self):
        page = self.client.get(self.url).text
        self.open[next(self.numbers)] = (form_post(page, FORM), dict(self.stored))

    @precondition(lambda self: self.open)
    @rule(
        pick=st.integers(0, 2),
        name=st.sampled_from(FIELDS),
        value=st.sampled_from(["Rope", "Weld"]),
    )
    def type_in(self, pick, name, value):
        self.open[self._tab(pick)][0][name] = [f"{value} {name}"]

    @precondition(lambda self: self.open)
    @rule(pick=st.integers(0, 2))
    def save(self, pick):
        tab = self._tab(pick)
        post, base = self.open.pop(tab)
        mine = {name: post[name][0] for name in FIELDS}
        merged, conflict = {}, False
        for name in FIELDS:
            theirs = self.stored[name]
            if mine[name] in (base[name], theirs):
                merged[name] = theirs
            elif theirs == base[name]:
                merged[name] = mine[name]
            else:
                conflict = True
        response = self.client.post(self.url, post)
        if conflict:
            assert response.status_code == 200
            assert "Someone saved this form after you opened it" in response.text
            shown = form_post(response.text, FORM)
            for name in FIELDS:
                kept = mine[name] if mine[name] != base[name] else self.stored[name]
                assert shown[name] == [kept], name
            self.open[tab] = (shown, dict(self.stored))
        else:
            assert response.status_code == 302, response.status_code
            self.stored = merged

    @invariant()
    def the_record_is_what_the_model_says(self):
        if hasattr(self, "proposal"):
            assert self._read() == self.stored


@pytest.mark.django_db
def test_tabs_on_one_interest_form_never_lose_a_save(proposer):
    Tabs.proposer = proposer
    run_state_machine_as_test(
        Tabs,
        settings=settings(
            max_examples=10,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
