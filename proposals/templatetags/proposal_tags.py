from django import template

from proposals.models import State

register = template.Library()

# Colour is never the only signal: every badge also carries its label and an icon.
STATE_STYLE = {
    State.SUBMITTED: ("text-bg-info", "fa-inbox"),
    State.IN_TRIAGE: ("text-bg-info", "fa-magnifying-glass"),
    State.TEAM_FORMING: ("text-bg-primary", "fa-people-group"),
    State.DRAFTING: ("text-bg-primary", "fa-pen"),
    State.UNDER_REVIEW: ("text-bg-warning", "fa-clipboard-check"),
    State.COMMITTEE_REVIEW: ("text-bg-warning", "fa-gavel"),
    State.APPROVED: ("text-bg-success", "fa-circle-check"),
    State.PUBLISHED: ("text-bg-success", "fa-award"),
    State.RETIRED: ("text-bg-secondary", "fa-box-archive"),
    State.DECLINED: ("text-bg-secondary", "fa-circle-xmark"),
    State.REJECTED: ("text-bg-danger", "fa-circle-xmark"),
    State.WITHDRAWN: ("text-bg-secondary", "fa-rotate-left"),
}


@register.inclusion_tag("includes/_state_badge.html")
def state_badge(state: str) -> dict:
    css, icon = STATE_STYLE.get(state, ("text-bg-light", "fa-circle"))
    return {"label": State(state).label, "css": css, "icon": icon}


@register.filter
def person(user) -> str:
    """A user's name as people read it; "—" when the account is gone."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
