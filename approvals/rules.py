"""Quorum and decision rules of the Steering Committee, as settings with defaults:
quorum is more than COMMITTEE_QUORUM_PERCENT (50) per cent of the eligible members
voting (abstentions count as voting); the proposal is approved when approvals outnumber
rejections plus returns; otherwise the larger of returns and rejections decides, a tie
going back to the team for revision."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Tally:
    eligible: int
    approve: int
    reject: int
    ret: int
    abstain: int
    recused: int
    quorum: int

    @property
    def voted(self) -> int:
        return self.approve + self.reject + self.ret + self.abstain

    @property
    def quorum_met(self) -> bool:
        return self.eligible > 0 and self.voted >= self.quorum

    @property
    def outcome(self) -> str | None:
        """The transition the votes call for, or None without quorum."""
        if not self.quorum_met:
            return None
        if self.approve > self.reject + self.ret:
            return "approve"
        if self.reject > self.ret:
            return "reject"
        return "return_for_revision"


def quorum_for(eligible: int) -> int:
    """Votes needed: more than the quorum share of the eligible members."""
    share = settings.COMMITTEE_QUORUM_PERCENT / 100
    return math.floor(eligible * share) + 1 if eligible else 1


def tally(eligible: int, choices: Counter, recused: int = 0) -> Tally:
    return Tally(
        eligible=eligible,
        approve=choices.get("approve", 0),
        reject=choices.get("reject", 0),
        ret=choices.get("return", 0),
        abstain=choices.get("abstain", 0),
        recused=recused,
        quorum=quorum_for(eligible),
    )
