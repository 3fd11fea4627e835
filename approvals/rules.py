"""Quorum and decision rules of the Steering Committee, as settings with defaults:
quorum is more than COMMITTEE_QUORUM_PERCENT (50) per cent of the eligible members
voting (abstentions count as voting); the proposal is approved when approvals outnumber
rejections plus returns; otherwise the larger of returns and rejections decides, a tie
going back to the team for revision."""

from __future__ import annotations

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
    """Votes needed: more than the quorum share of the eligible members. Integer
    arithmetic, so that 58 % of 50 needs 30 votes (29 is exactly 58 %, not more)."""
    if not eligible:
        return 1
    return eligible * settings.COMMITTEE_QUORUM_PERCENT // 100 + 1


def settings_problems() -> list[str]:
    """What is wrong with the committee's settings: a share of 100 % or more could
    never be exceeded, so no round could ever be decided."""
    percent = settings.COMMITTEE_QUORUM_PERCENT
    if not 0 <= percent < 100:
        return [f"COMMITTEE_QUORUM_PERCENT must be from 0 to 99, not {percent}."]
    return []


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
