from django.contrib import admin
from django.http import HttpRequest

# The proposal's admin performs transitions, so it sits with the service that does.
from approvals import proposal_admin  # noqa: F401
from approvals.models import (
    CommitteeTerm,
    Recusal,
    RoundComment,
    Vote,
    VoteChange,
    VoteReminder,
    VotingRound,
)


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(admin.ModelAdmin):
    """Where the site admin seats the committee, its chair and an acting chair."""

    list_display = ["user", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class VoteInline(ReadOnlyInline):
    model = Vote


class VoteChangeInline(ReadOnlyInline):
    model = VoteChange


class RecusalInline(ReadOnlyInline):
    model = Recusal


class RoundCommentInline(ReadOnlyInline):
    model = RoundComment


class VoteReminderInline(ReadOnlyInline):
    model = VoteReminder


@admin.register(VotingRound)
class VotingRoundAdmin(admin.ModelAdmin):
    """Read-only: votes are cast and rounds closed on the round page, so every rule
    (eligibility, quorum, the transition) applies."""

    list_select_related = ["proposal", "draft"]
    list_display = [
        "proposal",
        "draft",
        "opened_at",
        "deadline",
        "closed_at",
        "outcome",
    ]
    inlines = [
        VoteInline,
        VoteChangeInline,
        RecusalInline,
        RoundCommentInline,
        VoteReminderInline,
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
