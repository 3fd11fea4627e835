from django.contrib import admin
from django.http import HttpRequest

from metadata_templates.models import (
    Attachment,
    CommentEvent,
    LastSeen,
    ReviewComment,
    Revision,
    SubmittedDraft,
)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """Read-only: revisions are immutable and only the editor creates them."""

    list_display = ["proposal", "number", "author", "created_at", "note"]
    list_select_related = ["proposal", "author"]
    search_fields = ["proposal__title"]
    readonly_fields = [
        "proposal",
        "number",
        "content",
        "author",
        "created_at",
        "based_on",
        "note",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(SubmittedDraft)
class SubmittedDraftAdmin(admin.ModelAdmin):
    list_display = ["proposal", "number", "submitted_by", "submitted_at"]
    list_select_related = ["proposal", "submitted_by"]
    raw_id_fields = ["proposal", "revision", "submitted_by"]
    # Frozen with the draft when it was submitted.
    readonly_fields = ["attachments"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Read-only: files are added and removed on the site, where the proposal's
    state decides what may change, and downloaded there."""

    list_display = [
        "name",
        "proposal",
        "attached_to",
        "kind",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "detached_at",
    ]
    list_select_related = ["proposal", "uploaded_by"]
    list_filter = ["attached_to", "kind", "content_type"]
    search_fields = ["name", "proposal__title"]
    exclude = ["data"]
    readonly_fields = [
        "proposal",
        "attached_to",
        "kind",
        "description",
        "name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "detached_at",
    ]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class CommentEventInline(admin.TabularInline):
    """The comment's thread, as the record keeps it: read only."""

    model = CommentEvent
    fields = ["kind", "author", "created_at", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["draft", "field", "author", "created_at", "resolved_at"]
    list_select_related = ["draft__proposal", "author"]
    raw_id_fields = ["draft", "author", "resolved_by", "answered_in"]
    inlines = [CommentEventInline]


@admin.register(LastSeen)
class LastSeenAdmin(admin.ModelAdmin):
    list_display = ["user", "proposal", "number"]
    list_select_related = ["user", "proposal"]
    raw_id_fields = ["user", "proposal"]
