import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from approvals import services
from proposals.models import Proposal, State, TransitionLog
from proposals.transitions import UnknownTransition
from tests.factories import (
    ProposalFactory,
    approved_credential,
    decided_round,
    ready_for_review,
)

S = State
# transition -> (allowed sources, target, persona who may fire it, note needed)
WORKFLOW = {
    "triage": ([S.SUBMITTED], S.IN_TRIAGE, "staff", False),
    "decline": ([S.SUBMITTED, S.IN_TRIAGE], S.DECLINED, "staff", True),
    "accept": ([S.IN_TRIAGE], S.TEAM_FORMING, "staff", False),
    "start_development": ([S.TEAM_FORMING], S.DRAFTING, "staff", False),
    "submit_draft": ([S.DRAFTING], S.UNDER_REVIEW, "proposer", False),
    "request_revisions": ([S.UNDER_REVIEW], S.DRAFTING, "staff", True),
    "forward_to_committee": ([S.UNDER_REVIEW], S.COMMITTEE_REVIEW, "staff", False),
    "approve": ([S.COMMITTEE_REVIEW], S.APPROVED, "chair", False),
    "reject": ([S.COMMITTEE_REVIEW], S.REJECTED, "chair", True),
    "return_for_revision": ([S.COMMITTEE_REVIEW], S.DRAFTING, "chair", True),
    "publish": ([S.APPROVED], S.PUBLISHED, "staff", False),
    "retire": ([S.PUBLISHED], S.RETIRED, "staff", True),
    "withdraw": (
        [
            S.SUBMITTED,
            S.IN_TRIAGE,
            S.TEAM_FORMING,
            S.DRAFTING,
            S.UNDER_REVIEW,
            S.COMMITTEE_REVIEW,
        ],
        S.WITHDRAWN,
        "proposer",
        True,
    ),
}
CASES = [
    (name, state, state in sources)
    for name, (sources, *_rest) in WORKFLOW.items()
    for state in State.values
]


def test_the_table_covers_every_transition_of_the_model():
    names = {
        t.name for t in Proposal._meta.get_field("state").get_all_transitions(Proposal)
    }
    assert names == set(WORKFLOW)


@pytest.mark.parametrize(("name", "source", "allowed"), CASES)
def test_transition_from_each_state(personas, proposer, name, source, allowed):
    sources, target, persona, _ = WORKFLOW[name]
    proposal = ProposalFactory(proposer=proposer, state=source)
    ready_for_review(proposal)
    if source == S.APPROVED:
        approved_credential(proposal)
    if persona == "chair":
        decided_round(proposal, name)
    actor = personas[persona]
    if not allowed:
        with pytest.raises(TransitionNotAllowed):
            services.perform(proposal, name, user=actor, note="Because.")
        proposal.refresh_from_db()
        assert proposal.state == source
        assert not TransitionLog.objects.exists()
        return
    entry = services.perform(proposal, name, user=actor, note="Because.")
    proposal.refresh_from_db()
    assert proposal.state == target
    assert (entry.transition, entry.source, entry.target, entry.actor) == (
        name,
        source,
        target,
        actor,
    )
    assert entry.note == "Because."


@pytest.mark.parametrize("name", [name for name, spec in WORKFLOW.items() if spec[3]])
def test_transitions_that_need_a_reason_refuse_a_blank_note(personas, proposer, name):
    sources, _target, persona, _ = WORKFLOW[name]
    proposal = ProposalFactory(proposer=proposer, state=sources[0])
    if persona == "chair":
        decided_round(proposal, name)
    with pytest.raises(ValidationError) as error:
        services.perform(proposal, name, user=personas[persona], note="   ")
    assert "note" in error.value.message_dict
    proposal.refresh_from_db()
    assert proposal.state == sources[0]
    assert not TransitionLog.objects.exists()


ROLE_CASES = [
    (name, persona)
    for name in WORKFLOW
    for persona in ["proposer", "outsider", "staff", "member", "chair", "admin"]
]
STAFF = {"staff", "admin"}
# Who may fire each transition; the proposer is the team lead in these tests.
ALLOWED_ROLES = {
    **dict.fromkeys(WORKFLOW, STAFF),
    "start_development": STAFF | {"proposer"},
    "submit_draft": {"proposer"},
    "approve": {"chair"},
    "reject": {"chair"},
    "return_for_revision": {"chair"},
    "withdraw": STAFF | {"proposer"},
}


@pytest.mark.parametrize(("name", "persona"), ROLE_CASES)
def test_only_the_right_roles_may_fire_each_transition(
    personas, proposer, name, persona
):
    sources, target, _who, _ = WORKFLOW[name]
    allowed = ALLOWED_ROLES[name]
    proposal = ProposalFactory(proposer=proposer, state=sources[0])
    ready_for_review(proposal)
    if sources[0] == S.APPROVED:
        approved_credential(proposal)
    if "chair" in allowed:
        decided_round(proposal, name)
    if persona in allowed:
        services.perform(proposal, name, user=personas[persona], note="ok")
        proposal.refresh_from_db()
        assert proposal.state == target
    else:
        with pytest.raises(PermissionDenied):
            services.perform(proposal, name, user=personas[persona], note="ok")
        proposal.refresh_from_db()
        assert proposal.state == sources[0]


def test_state_cannot_be_assigned_directly(proposal):
    with pytest.raises(AttributeError):
        proposal.state = State.PUBLISHED


def test_unknown_transition_name_is_refused(proposal, staff):
    with pytest.raises(UnknownTransition):
        services.perform(proposal, "save", user=staff)


def test_a_stale_choice_changes_nothing(proposal, staff):
    services.perform(proposal, "triage", user=staff)
    with pytest.raises(services.StaleProposal):
        services.perform(
            proposal, "decline", user=staff, note="No.", expected_state=S.SUBMITTED
        )
    proposal.refresh_from_db()
    assert proposal.state == S.IN_TRIAGE


def test_a_concurrent_change_is_detected_by_the_stale_instance(proposal, staff):
    stale = Proposal.objects.get(pk=proposal.pk)
    services.perform(proposal, "triage", user=staff)
    with pytest.raises(services.StaleProposal):
        services.perform(stale, "decline", user=staff, note="Duplicate")
    assert Proposal.objects.get(pk=proposal.pk).state == S.IN_TRIAGE
    assert TransitionLog.objects.count() == 1


def test_full_happy_path_builds_the_timeline(proposal, proposer, staff, chair):
    steps = [
        ("triage", staff),
        ("accept", staff),
        ("start_development", staff),
        ("submit_draft", proposer),
        ("request_revisions", staff),
        ("submit_draft", proposer),
        ("forward_to_committee", staff),
        ("approve", chair),
        ("publish", staff),
    ]
    for name, actor in steps:
        if name == "start_development":
            ready_for_review(proposal)
        if name == "approve":
            services.cast_vote(proposal.rounds.get(), chair, "approve")
        note = "Needs work." if "rev" in name else ""
        if name == "approve":
            services.close_round(proposal.rounds.get(), actor, note)
            proposal.refresh_from_db()
        else:
            services.perform(proposal, name, user=actor, note=note)
    proposal.refresh_from_db()
    assert proposal.state == S.PUBLISHED
    assert [e.transition for e in proposal.transitions.all()] == [n for n, _ in steps]
    assert [s["status"] for s in proposal.stepper()][-1] == "current"
