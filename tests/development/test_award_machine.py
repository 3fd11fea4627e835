"""A model-based test of the pathway through the real views: a team member adds
evidence, staff award any level, staff revoke, in any order. After every step the
badges held are what a shadow of the rules says, nobody holds a badge twice, and no
step is a server error."""

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

from awards.models import Award
from development.models import Item, LaunchChecklist
from proposals.models import State
from tests.development.conftest import CHECKLIST, person_on_team

LEVELS = ["1", "2", "3", "macro"]


class Pathway(RuleBasedStateMachine):
    staff = None
    badges: dict = {}

    @initialize()
    def new_person(self):
        self.person, proposal = person_on_team(State.APPROVED)
        LaunchChecklist.objects.create(proposal=proposal, **CHECKLIST)
        self.items: set[str] = set()  # evidence that meets its requirement
        self.held: set[str] = set()
        self.mine, self.office = Client(), Client()
        self.mine.force_login(self.person)
        self.office.force_login(self.staff)

    def _met(self, level: str) -> bool:
        level1 = {
            Item.LEVEL1_COMPLETION,
            Item.LEVEL1_QUIZ,
            Item.LEVEL1_REFLECTION,
        } <= self.items
        level2 = (level1 or "1" in self.held) and Item.STARTER in self.items
        earned = {"1": level1 or "1" in self.held, "2": level2 or "2" in self.held}
        return {
            "1": level1,
            "2": level2,
            "3": earned["1"] and earned["2"] and Item.LEVEL3_REFLECTION in self.items,
            "macro": {"1", "2", "3"} <= self.held,
        }[level]

    @rule(item=st.sampled_from(Item.values), score=st.integers(0, 100))
    def add_evidence(self, item, score):
        data = {"item": item, "text": "Done."}
        if item == Item.LEVEL1_QUIZ:
            data["score"] = score
        response = self.mine.post(reverse("development:mine"), data)
        assert response.status_code == 302
        if item != Item.LEVEL1_QUIZ or score >= 80:
            self.items.add(item)

    @rule(levels=st.lists(st.sampled_from(LEVELS), min_size=1, max_size=3))
    def award(self, levels):
        values = [f"{self.person.pk}:{level}" for level in levels]
        response = self.office.post(reverse("development:award"), {"award": values})
        # Awarded: back to the staff page; refused: the confirmation says why.
        assert response.status_code in (200, 302)
        chosen = list(dict.fromkeys(levels))
        # All or nothing, each level judged on the record before the award.
        if all(lv not in self.held and self._met(lv) for lv in chosen):
            self.held |= set(chosen)
            if {"1", "2", "3"} <= self.held:
                self.held.add("macro")

    @rule()
    def advance(self):
        """The next step toward the macro-badge, so that runs reach it."""
        missing = [item for item in Item.values if item not in self.items]
        if missing:
            self.add_evidence(missing[0], 90)
        else:
            self.award([lv for lv in ("1", "2", "3") if lv not in self.held] or ["1"])

    @rule(level=st.sampled_from(LEVELS))
    def revoke(self, level):
        award = Award.objects.filter(
            recipient=self.person,
            badge=self.badges[level],
            revoked_at__isnull=True,
        ).first()
        if award is None:
            return
        response = self.office.post(
            reverse("awards:revoke", args=[award.uuid]), {"reason": "A mistake."}
        )
        assert response.status_code == 302
        self.held.discard(level)

    @invariant()
    def the_badges_held_follow_the_rules(self):
        live = Award.objects.filter(recipient=self.person, revoked_at__isnull=True)
        levels = {
            lv
            for lv, badge in self.badges.items()
            for a in live
            if a.badge_id == badge.pk
        }
        assert levels == self.held

    @invariant()
    def nobody_holds_a_badge_twice(self):
        live = Award.objects.filter(recipient=self.person, revoked_at__isnull=True)
        badges = list(live.values_list("badge_id", flat=True))
        assert len(badges) == len(set(badges))


@pytest.mark.django_db
def test_awards_follow_the_rules_through_the_views(loaded, staff):
    Pathway.staff = staff
    Pathway.badges = loaded
    run_state_machine_as_test(
        Pathway,
        settings=settings(
            max_examples=10,
            stateful_step_count=15,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    assert Award.objects.filter(badge=loaded["macro"]).exists()
