"""Two people firing transitions on one proposal at the same moment, on real
PostgreSQL connections: exactly one wins, the other is told, nothing is half-done."""

import threading

import pytest
from django.db import close_old_connections, connection
from django_fsm import ConcurrentTransition

from approvals import services
from proposals.models import Proposal, State, TransitionLog
from tests.factories import ProposalFactory, UserFactory, staff_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent PostgreSQL connections",
    ),
]


def _race(pk: int, attempts: list[tuple[str, object, str]]) -> list[str]:
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = [""] * len(attempts)

    def attempt(index: int, name: str, user, note: str) -> None:
        try:
            proposal = Proposal.objects.get(pk=pk)
            barrier.wait(timeout=10)
            services.perform(proposal, name, user=user, note=note)
            outcomes[index] = "won"
        except (ConcurrentTransition, services.StaleProposal):
            # The row lock makes the loser wait and then see the new state.
            outcomes[index] = "lost"
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(i, *args))
        for i, args in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_accept_and_decline_at_once_exactly_one_wins():
    staff_a, staff_b = staff_user(username="a"), staff_user(username="b")
    proposal = ProposalFactory(proposer=UserFactory(), state=State.IN_TRIAGE)

    outcomes = _race(
        proposal.pk,
        [("accept", staff_a, ""), ("decline", staff_b, "Duplicate of another")],
    )

    assert sorted(outcomes) == ["lost", "won"]
    proposal.refresh_from_db()
    logs = list(TransitionLog.objects.filter(proposal=proposal))
    assert len(logs) == 1
    assert proposal.state == logs[0].target
    assert proposal.state in (State.TEAM_FORMING, State.DECLINED)
    assert (
        proposal.notifications.filter(event=logs[0]).count()
        == proposal.notifications.count()
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_same_transition_twice_at_once_is_logged_once():
    staff_a, staff_b = staff_user(username="a"), staff_user(username="b")
    proposal = ProposalFactory(proposer=UserFactory(), state=State.SUBMITTED)

    outcomes = _race(proposal.pk, [("triage", staff_a, ""), ("triage", staff_b, "")])

    assert sorted(outcomes) == ["lost", "won"]
    assert TransitionLog.objects.filter(proposal=proposal).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).state == State.IN_TRIAGE
