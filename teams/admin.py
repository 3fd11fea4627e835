from django.contrib import admin

from teams.models import (
    Campus,
    CollaboratorCall,
    EmployerInput,
    Invitation,
    JoinRequest,
    Meeting,
    Membership,
    Team,
)


@admin.register(Campus)
class CampusAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "is_active", "position"]
    list_editable = ["is_active", "position"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["proposal", "created_at"]
    list_select_related = ["proposal"]
    search_fields = ["proposal__title"]
    raw_id_fields = ["proposal"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "team", "role", "status", "expires_at"]
    list_filter = ["status", "role"]
    list_select_related = ["team__proposal"]
    # The token is only ever sent by email; the admin cannot see or set it.
    exclude = ["token_hash"]
    raw_id_fields = ["team", "invited_by", "accepted_by"]

    def has_add_permission(self, request) -> bool:
        # Invitations are sent from the team page, which emails the token.
        return False


@admin.register(CollaboratorCall)
class CollaboratorCallAdmin(admin.ModelAdmin):
    list_display = ["team", "opened_at", "closed_at"]
    list_select_related = ["team__proposal"]
    raw_id_fields = ["team", "opened_by"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "call", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["user", "call__team__proposal"]
    raw_id_fields = ["call", "user", "decided_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["team", "held_on"]
    list_select_related = ["team__proposal"]
    raw_id_fields = ["team", "recorded_by"]
    filter_horizontal = ["attendees"]


@admin.register(EmployerInput)
class EmployerInputAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "team", "given_on"]
    list_select_related = ["team__proposal"]
    raw_id_fields = ["team", "recorded_by"]
