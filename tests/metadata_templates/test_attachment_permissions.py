"""Who may read, add and remove attachments: the role × action matrix of every
attachment address, and the state × role table of what may change (the proposal's
files while its record is open, the working draft's while the template may change)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metadata_templates.models import Attachment
from proposals.models import State
from tests.factories import ProposalFactory, confirmed_team
from tests.matrix import TEAM_PERSONAS, cases, check, expect

PERSONAS = TEAM_PERSONAS
HANDLERS = {"lead", "teammate", "staff", "admin"}
READERS = set(PERSONAS) - {"anonymous", "outsider"}
PDF = b"%PDF-1.4\n%tiny\n"


def _attachment(proposal, target: str) -> Attachment:
    return Attachment.objects.create(
        proposal=proposal,
        attached_to=target,
        kind=Attachment.Kind.RUBRIC,
        name="rubric.pdf",
        content_type="application/pdf",
        size=len(PDF),
        data=PDF,
    )


@pytest.fixture
def world(drafting):
    return {
        "pk": drafting.pk,
        "file": _attachment(drafting, Attachment.Target.PROPOSAL).pk,
        "draft_file": _attachment(drafting, Attachment.Target.DRAFT).pk,
    }


def _url(name, key=None):
    return lambda w: reverse(name, args=[w["pk"], *([w[key]] if key else [])])


MATRIX = [
    ("attachments", "get", _url("attachments:list"), expect(READERS, 200)),
    # An empty form comes back with its errors.
    ("upload", "post", _url("attachments:list"), expect(HANDLERS, 200)),
    ("download", "get", _url("attachments:download", "file"), expect(READERS, 200)),
    (
        "download, draft file",
        "get",
        _url("attachments:download", "draft_file"),
        expect(READERS, 200),
    ),
    ("remove", "post", _url("attachments:remove", "file"), expect(HANDLERS, 302)),
    (
        "remove, draft file",
        "post",
        _url("attachments:remove", "draft_file"),
        expect(HANDLERS, 302),
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "persona", "expected"), cases(MATRIX, PERSONAS)
)
def test_attachment_permission_matrix(
    client, personas, proposer, teammate, world, name, method, url, persona, expected
):
    users = {**personas, "lead": proposer, "teammate": teammate, "anonymous": None}
    check(client, users[persona], method, url(world), expected)


def test_wrong_methods_are_refused(client, proposer, world):
    client.force_login(proposer)
    assert client.put(_url("attachments:list")(world)).status_code == 405
    assert client.post(_url("attachments:download", "file")(world)).status_code == 405
    assert client.get(_url("attachments:remove", "file")(world)).status_code == 405


def test_another_proposals_attachment_is_not_found(client, proposer, world, staff):
    other = ProposalFactory(proposer=staff, state=State.SUBMITTED)
    client.force_login(staff)
    url = reverse("attachments:download", args=[other.pk, world["file"]])
    assert client.get(url).status_code == 404


# Where files may change in each state (both: the proposal and the working draft).
OPEN = {
    State.SUBMITTED: {"proposal"},
    State.IN_TRIAGE: {"proposal"},
    State.TEAM_FORMING: {"proposal"},
    State.DRAFTING: {"proposal", "draft"},
    State.UNDER_REVIEW: {"proposal"},
    State.COMMITTEE_REVIEW: {"proposal"},
}
ROLES = ("proposer", "staff", "member", "outsider")


def _expected(state: str, role: str, target: str) -> int:
    """302: stored; 409: the state lets nothing change (the reason is shown); 200:
    the form comes back, that place not being offered."""
    if role == "outsider":
        return 404
    if role == "member":
        return 403
    if target in OPEN.get(state, set()):
        return 302
    return 200 if state in OPEN else 409


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", State.values)
def test_what_each_state_lets_each_role_attach_and_remove(
    client, personas, state, role
):
    proposal = ProposalFactory(proposer=personas["proposer"], state=state)
    if state not in (State.SUBMITTED, State.IN_TRIAGE):
        # From acceptance on, the proposer leads the team.
        confirmed_team(proposal)
    client.force_login(personas[role])
    for target in ("proposal", "draft"):
        expected = _expected(state, role, target)
        response = client.post(
            reverse("attachments:list", args=[proposal.pk]),
            {
                "attached_to": target,
                "kind": "syllabus",
                "file": SimpleUploadedFile("syllabus.pdf", PDF),
            },
        )
        added = Attachment.objects.filter(proposal=proposal, attached_to=target)
        assert response.status_code == expected, (target, response.status_code)
        assert added.exists() == (expected == 302)
        existing = _attachment(proposal, target)
        client.post(reverse("attachments:remove", args=[proposal.pk, existing.pk]))
        gone = not Attachment.objects.filter(pk=existing.pk).exists()
        assert gone == (expected == 302), (target, "remove")
