"""Where the apps above proposals/ plug in: the workflow apps above it (the
template's framework check) and the publishing side. They register here from their
AppConfig.ready(), and proposals call what is registered without importing them, so
every import points from those apps down."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from proposals.models import Proposal

# What keeps a team from submitting its draft, beyond the meetings: the framework
# check, which metadata_templates/apps.py registers.
submission_checks: list[Callable[[Proposal], list[str]]] = []

# What keeps an approved proposal from being published, each problem in the words of
# the proposal page; `publish` needs every check to return nothing.
publication_checks: list[Callable[[Proposal], list[str]]] = []

# Transition name -> what else that step sets up, run by approvals.services.perform
# after the transition is saved, in the same transaction: (proposal, user).
transition_effects: dict[str, list[Callable[[Proposal, Any], Any]]] = defaultdict(list)

# Published badges a badge of a draft may name as prerequisites:
# (proposal, content) -> [(reference, label)].
prerequisite_choices: list[Callable[[Proposal, dict], list[tuple[str, str]]]] = []

# Further steps of load_demo, each given the demo accounts by username; each returns
# how many proposals it created.
demo_steps: list[Callable[[dict], int]] = []

# What an app above adds to a workflow page, by place: "proposal" (the proposal
# page), "confirm:<transition>" (that transition's confirmation), "dashboard" (the
# user's dashboard, where `proposal` is None). Each callable takes (proposal, user)
# and returns HTML, or "" for nothing.
page_sections: dict[str, list[Callable[[Proposal | None, Any], str]]] = defaultdict(
    list
)


def sections(place: str, proposal: Proposal | None, user) -> SafeString:
    """The HTML the apps above add at `place`, in the order they registered."""
    return format_html_join(
        "",
        "{}",
        (
            (html,)
            for show in page_sections.get(place, ())
            if (html := show(proposal, user))
        ),
    )
