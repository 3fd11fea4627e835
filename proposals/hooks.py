"""Where the apps above proposals/ plug in: the workflow apps above it (the
template's framework check) and the publishing side. They register here from their
AppConfig.ready(), and proposals call what is registered without importing them, so
every import points from those apps down."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
