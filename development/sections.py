"""What this app adds to the workflow's pages (proposals.hooks.page_sections)."""

from __future__ import annotations

from django.template.loader import render_to_string

from development import progress, services
from proposals import freezes
from proposals.freezes import Action
from proposals.models import State
from proposals.policy import is_member, is_proposer

AFTER_APPROVAL = (State.APPROVED, State.PUBLISHED, State.RETIRED)


def checklist_panel(proposal, user) -> str:
    """The launch checklist on the proposal page and the publish confirmation, from
    approval on (the caller already checked that the user reads the record)."""
    if proposal.state not in AFTER_APPROVAL or not hasattr(proposal, "team"):
        return ""
    checklist = services.checklist_of(proposal)
    editable = freezes.allows(proposal.state, Action.LAUNCH) and (
        is_member(proposal, user) or is_proposer(proposal, user)
    )
    return render_to_string(
        "development/_checklist_panel.html",
        {"proposal": proposal, "checklist": checklist, "editable": editable},
    )


def dashboard_progress(_proposal, user) -> str:
    """The person's development badges on their dashboard, once they have begun."""
    mine = progress.for_person(user)
    if not any(level.done or level.held for level in mine.levels):
        return ""
    return render_to_string("development/_dashboard.html", {"progress": mine})
