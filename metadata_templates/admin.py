import io
from functools import partial

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from metadata_templates.badge_image import read_image
from metadata_templates.models import (
    Issuer,
    LastSeen,
    ReviewComment,
    Revision,
    SubmittedDraft,
)

LOGO_MAX_BYTES = 512 * 1024


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


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["draft", "field", "author", "created_at", "resolved_at"]
    list_select_related = ["draft__proposal", "author"]
    raw_id_fields = ["draft", "author", "resolved_by", "answered_in"]


@admin.register(LastSeen)
class LastSeenAdmin(admin.ModelAdmin):
    list_display = ["user", "proposal", "number"]
    list_select_related = ["user", "proposal"]
    raw_id_fields = ["user", "proposal"]


class IssuerForm(forms.ModelForm):
    logo = forms.FileField(
        required=False,
        help_text=_("PNG or JPEG, at most 512 KB; the type is read from the file."),
    )
    remove_logo = forms.BooleanField(required=False)

    class Meta:
        model = Issuer
        fields = ["name", "slug", "url", "email", "description", "is_default"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"url": partial(forms.URLField, assume_scheme="https")}

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        image = read_image(upload.read(LOGO_MAX_BYTES + 1), max_bytes=LOGO_MAX_BYTES)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"

    def save(self, commit=True):
        issuer = super().save(commit=False)
        if self.cleaned_data.get("remove_logo"):
            issuer.image, issuer.image_type = b"", ""
        if logo := self.cleaned_data.get("logo"):
            issuer.image, issuer.image_type = logo
        if commit:
            issuer.save()
        return issuer


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    """Issuer profiles: what the Open Badges exports name as issuer and creator."""

    form = IssuerForm
    list_display = ["name", "slug", "url", "email", "is_default"]
    search_fields = ["name", "slug"]
