import io
from functools import partial

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from credentials.models import Issuer
from metadata_templates.uploads import read_image

LOGO_MAX_BYTES = 512 * 1024


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
