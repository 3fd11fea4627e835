import typing

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from django_fsm.admin import FSMAdminMixin

from approvals import services
from proposals.models import Notification, Proposal, TransitionLog


class AdminTransitionForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the timeline and to the people notified; "
        "declining, rejecting, returning, retiring and withdrawing need one.",
    )


class TransitionLogInline(admin.TabularInline):
    model = TransitionLog
    extra = 0
    can_delete = False
    fields = ["created_at", "transition", "source", "target", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(FSMAdminMixin, admin.ModelAdmin):
    fsm_fields = ["state"]
    list_display = ["title", "campus", "state", "proposer", "created_at"]
    list_filter = ["state", "campus", "credential_type", "pathway_type"]
    search_fields = ["title", "proposer_name", "proposer_email"]
    raw_id_fields = ["proposer"]
    inlines = [TransitionLogInline]

    def get_fsm_transition_form(self, transition) -> type[forms.Form]:
        return AdminTransitionForm

    def _apply_fsm_transition(
        self,
        *,
        obj: Proposal,
        transition_name: str,
        request: HttpRequest,
        kwargs: typing.Mapping[str, typing.Any] | None = None,
    ) -> bool:
        # The admin goes through the same service as the site, so it is checked,
        # logged and notified alike.
        note = (kwargs or {}).get("note", "")
        try:
            services.perform(obj, transition_name, user=request.user, note=note)
        except PermissionDenied:
            error = "your role may not do this."
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except (TransitionNotAllowed, ConcurrentTransition) as exc:
            error = services.refusal(exc, transition_name, obj.pk)
        else:
            self.message_user(request, f"{transition_name}: done.", messages.SUCCESS)
            return True
        self.message_user(request, f"{transition_name}: {error}", messages.ERROR)
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = ["proposal", "transition", "source", "target", "actor", "created_at"]
    list_filter = ["target"]
    list_select_related = ["proposal", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "message", "created_at", "read_at"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "proposal", "event"]
