"""A model-based test of awards through the real views: staff award people (a form
sent again included), recipients claim from their links, staff and an outsider try
to revoke, in any order. After every step the awards are what a shadow says, each
claim email went out once, the signed status list says revoked exactly for the
revoked ones, and the hosted OB 2.0 Assertion answers 410 exactly for them."""

import itertools

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
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

from awards import services
from awards.models import Award
from credentials.proofs import statuslist
from tests.factories import published_credential


@pytest.fixture
def badge(db):
    return published_credential().catalog_badges.order_by("position").first()


class Awards(RuleBasedStateMachine):
    people: dict = {}
    badge = None
    # Runs share the database: each awards people of its own.
    numbers = itertools.count()
    # Every state some award was in after a step, over all runs.
    reached: set = set()

    @initialize()
    def start(self):
        self.run = next(self.numbers)
        self.expected = {}  # email -> "issued" | "claimed" | "revoked"
        self.last_form = None
        self.clients = {name: Client() for name in self.people}
        for name, user in self.people.items():
            self.clients[name].force_login(user)
        mail.outbox.clear()

    def _awards(self):
        return Award.objects.filter(recipient_email__startswith=f"r{self.run}-")

    @rule(count=st.integers(1, 2), again=st.booleans())
    def award(self, count, again):
        if again and self.last_form:
            data = self.last_form
        else:
            emails = [
                f"r{self.run}-{len(self.expected) + n}@example.edu"
                for n in range(count)
            ]
            data = {
                "recipients": "\n".join(f"Learner {e}, {e}" for e in emails),
                "issued_on": timezone.localdate().isoformat(),
                "batch": f"run{self.run}-{len(self.expected)}",
            }
            for email in emails:
                self.expected[email] = "issued"
            self.last_form = data
        url = reverse("awards:badge", args=[self.badge.pk])
        # The test's transaction never commits: run what the commit would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = self.clients["staff"].post(url, data)
        assert response.status_code == 302

    @precondition(lambda self: self.expected)
    @rule(pick=st.integers(0, 10))
    def claim(self, pick):
        email = sorted(self.expected)[pick % len(self.expected)]
        award = self._awards().get(recipient_email=email)
        url = reverse("awards:claim", args=[services.claim_token(award)])
        assert Client().post(url).status_code == 302
        if self.expected[email] == "issued":
            self.expected[email] = "claimed"

    @precondition(lambda self: self.expected)
    @rule(pick=st.integers(0, 10), who=st.sampled_from(["staff", "outsider"]))
    def revoke(self, pick, who):
        email = sorted(self.expected)[pick % len(self.expected)]
        award = self._awards().get(recipient_email=email)
        url = reverse("awards:revoke", args=[award.uuid])
        response = self.clients[who].post(url, {"reason": f"By {who}."})
        if who == "outsider":
            assert response.status_code == 403
        else:
            assert response.status_code in (200, 302)
            self.expected[email] = "revoked"

    @invariant()
    def the_awards_follow_the_shadow(self):
        found = {}
        for award in self._awards():
            found[award.recipient_email] = (
                "revoked"
                if award.is_revoked
                else "claimed"
                if award.claimed_at
                else "issued"
            )
        assert found == self.expected
        self.reached.update(found.values())
        assert sorted(m.to[0] for m in mail.outbox) == sorted(self.expected)
        assert not self._awards().filter(revocation_reason="By outsider.").exists()

    @invariant()
    def the_status_list_and_the_assertion_say_revoked_exactly_when(self):
        awards = list(self._awards().select_related("status_list__issuer"))
        if not awards:
            return
        listed = services.status_list_credential(awards[0].status_list)
        for award in awards:
            revoked = bool(statuslist.status_problems(award.credential, listed))
            assert revoked == award.is_revoked
            status = Client().get(award.file_url("assertion.json")).status_code
            assert status == (410 if award.is_revoked else 200)


@pytest.mark.django_db
def test_awards_follow_their_model_through_the_views(staff, outsider, badge):
    Awards.people = {"staff": staff, "outsider": outsider}
    Awards.badge = badge
    run_state_machine_as_test(
        Awards,
        settings=settings(
            max_examples=6,
            stateful_step_count=10,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    assert {"issued", "claimed", "revoked"} <= Awards.reached, Awards.reached
