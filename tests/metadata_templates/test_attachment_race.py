"""A file attached to the working draft at the moment the draft is submitted, on real
PostgreSQL connections: it either goes into Draft 1 or is refused, never left on a
working draft that was already frozen."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from approvals import services as workflow
from metadata_templates import services
from metadata_templates.forms import AttachmentForm
from metadata_templates.models import Attachment
from proposals.models import Proposal, State
from tests.factories import ProposalFactory, ready_for_review, staff_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent PostgreSQL connections",
    ),
]


def _form() -> AttachmentForm:
    form = AttachmentForm(
        {"attached_to": "draft", "kind": "rubric"},
        {"file": SimpleUploadedFile("rubric.pdf", b"%PDF-1.4\n%rubric\n")},
        targets=["draft"],
    )
    assert form.is_valid(), form.errors
    return form


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("round_", range(3))
def test_attaching_while_the_draft_is_submitted(round_):
    proposal = ProposalFactory(state=State.TEAM_FORMING)
    ready_for_review(proposal)
    workflow.perform(proposal, "start_development", user=staff_user())
    barrier = threading.Barrier(2)
    outcomes = {}

    def submit():
        try:
            barrier.wait(timeout=10)
            workflow.perform(
                Proposal.objects.get(pk=proposal.pk),
                "submit_draft",
                user=proposal.proposer,
            )
            outcomes["submit"] = "done"
        finally:
            connection.close()

    def attach():
        try:
            form = _form()
            barrier.wait(timeout=10)
            services.add_attachment(
                Proposal.objects.get(pk=proposal.pk), form, proposal.proposer
            )
            outcomes["attach"] = "done"
        except ValidationError:
            outcomes["attach"] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=submit), threading.Thread(target=attach)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes["submit"] == "done"
    draft = proposal.drafts.get()
    held = set(draft.attachments.values_list("pk", flat=True))
    stored = set(
        Attachment.objects.filter(proposal=proposal).values_list("pk", flat=True)
    )
    assert stored == held
    assert len(held) == (1 if outcomes["attach"] == "done" else 0)
