from __future__ import annotations

import re
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from awards import validators
from awards.models import Award

# People awarded in one go from the form; larger batches are a CSV import's work.
MAX_RECIPIENTS = 100
# A row is "name, email" (or name and email separated by a tab, as pasted from a
# spreadsheet); the email is what follows the last separator.
SEPARATOR = re.compile(r"[,\t;](?=[^,\t;]*$)")
# What an uploaded file to verify may weigh: a baked PNG is a few hundred KB.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class EvidenceLinkField(forms.URLField):
    # The shared rule says both what a web address is and which characters it holds.
    default_validators = [validators.evidence_link]


class AwardForm(forms.Form):
    recipients = forms.CharField(
        label=_("Recipients"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
        help_text=_(
            "One person a line: their name, a comma, their email address. Each "
            "receives an email with a link to claim the badge."
        ),
    )
    issued_on = forms.DateField(
        label=_("Earned on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day they earned it (today, or earlier)."),
    )
    evidence_url = EvidenceLinkField(
        label=_("Evidence link"),
        required=False,
        max_length=Award._meta.get_field("evidence_url").max_length,
        assume_scheme="https",
    )
    evidence_narrative = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=Award._meta.get_field("evidence_narrative").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What they did to earn it; shown in the badge to whoever checks it."
        ),
    )
    # Names this submission, so that sending it twice awards no one twice.
    batch = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {"issued_on": timezone.localdate(), "batch": secrets.token_urlsafe(16)},
        )
        super().__init__(*args, **kwargs)

    def clean_recipients(self) -> list[tuple[str, str]]:
        """(name, email) of each line; every line's problem at once, by number."""
        rows, errors, seen = [], [], set()
        for number, line in enumerate(
            self.cleaned_data["recipients"].splitlines(), start=1
        ):
            if not line.strip():
                continue
            parts = SEPARATOR.split(line.strip(), maxsplit=1)
            name, email = (
                (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else ("", "")
            )
            if not name or not email:
                errors.append(
                    _("Line %(n)d: write the name, a comma, then the email address.")
                    % {"n": number}
                )
                continue
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    _("Line %(n)d: “%(email)s” is not an email address.")
                    % {"n": number, "email": email}
                )
                continue
            if len(name) > Award._meta.get_field("recipient_name").max_length:
                errors.append(_("Line %(n)d: the name is too long.") % {"n": number})
                continue
            if email.lower() in seen:
                errors.append(
                    _("Line %(n)d: %(email)s is already on an earlier line.")
                    % {"n": number, "email": email}
                )
                continue
            seen.add(email.lower())
            rows.append((name, email))
        if errors:
            raise ValidationError(errors)
        if not rows:
            raise ValidationError(_("Write at least one person."))
        if len(rows) > MAX_RECIPIENTS:
            raise ValidationError(
                _("At most %(max)d people at once; import a CSV file for more.")
                % {"max": MAX_RECIPIENTS}
            )
        return rows

    def clean_issued_on(self):
        issued_on = self.cleaned_data["issued_on"]
        validators.earned_on(issued_on, timezone.localdate())
        return issued_on


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it revoked?"),
        max_length=Award._meta.get_field("revocation_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Whoever checks the badge, its recipient included, is shown this reason."
        ),
    )

    def __init__(self, *args, resting=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if resting:
            self.fields["also_resting"] = forms.BooleanField(
                label=ngettext(
                    "Also revoke the award that rests on this one: %(badges)s",
                    "Also revoke the awards that rest on this one: %(badges)s",
                    len(resting),
                )
                % {"badges": ", ".join(award.badge.name for award in resting)},
                required=False,
                initial=True,
                help_text=_(
                    "It recognises the award you are revoking; its reason will say so."
                ),
            )


class VerifyFileForm(forms.Form):
    file = forms.FileField(
        label=_("Badge file"),
        help_text=_(
            "The badge's JSON file, or its image (PNG or SVG) with the badge baked in."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 2 MB: not a badge file."))
        return upload
