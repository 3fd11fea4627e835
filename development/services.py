"""Changes to the development record: the launch checklist and evidence."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from development.models import Evidence, LaunchChecklist
from metadata_templates.models import Revision
from proposals import freezes, meanwhile
from proposals.freezes import Action
from proposals.models import Proposal


def checklist_of(proposal: Proposal) -> LaunchChecklist:
    """The proposal's checklist; before its first save, one filled in from what the
    approved draft says about issuing and communication."""
    try:
        return proposal.launch_checklist
    except LaunchChecklist.DoesNotExist:
        pass
    revision = (
        Revision.objects.filter(submissions__proposal=proposal)
        .order_by("-submissions__number")
        .only("content")
        .first()
    )
    credential = revision.content.get("credential", {}) if revision else {}
    return LaunchChecklist(
        proposal=proposal,
        issuing_option=str(credential.get("issuing_option", ""))[:200],
        communication_plan=str(credential.get("communication_plan", ""))[:2_000],
    )


def save_checklist(proposal: Proposal, form, *, by) -> LaunchChecklist:
    """Save a valid ChecklistForm while the state allows it (after approval, before
    publication), merging a page older than the record (meanwhile.check)."""
    with transaction.atomic():
        current = freezes.locked(proposal)
        freezes.ensure(current, Action.LAUNCH)
        stored = LaunchChecklist.objects.filter(proposal=proposal).first()
        if stored is not None:
            meanwhile.check(form, stored)
            form.instance.pk = stored.pk
            form.instance._state.adding = False
        checklist = form.save(commit=False)
        checklist.proposal = proposal
        checklist.updated_by = by
        checklist.updated_at = timezone.now()
        checklist.save()
    return checklist


def add_evidence(form, *, person, by, by_staff: bool) -> Evidence:
    """Record a valid EvidenceForm's evidence for `person`."""
    evidence = form.save(commit=False)
    evidence.person = person
    evidence.recorded_by = by
    evidence.by_staff = by_staff
    evidence.save()
    return evidence
