from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from award_imports import csvfile
from awards import hooks
from credentials.models import CatalogBadge


class BadgeChoice(forms.ModelChoiceField):
    def label_from_instance(self, badge: CatalogBadge) -> str:
        return f"{badge.name} — {badge.proposal.title}"


class UploadForm(forms.Form):
    """A published badge and the CSV file of the people to award it to. Every row is
    checked here; `problems` lists what is wrong with the file, row by row."""

    badge = BadgeChoice(
        label=_("Badge"),
        queryset=CatalogBadge.objects.listed()
        .select_related("proposal")
        .order_by("proposal__title", "position", "pk"),
        help_text=_(
            "Badges of published credentials. Development pathway badges are "
            "awarded from the pathway's page, which checks each person's record."
        ),
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "First row: the column names name, email, evidence link, date (name and "
            "email required; the date is the day the badge was earned, 2026-09-30 or "
            "09/30/2026, today when blank). Comma, semicolon or tab separated; at "
            "most 5,000 people and 1 MB."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reading = csvfile.Reading()
        badges = self.fields["badge"]
        badges.queryset = hooks.without_own_path(badges.queryset)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("check", _("Check the file")))

    @property
    def problems(self) -> list[csvfile.Problem]:
        return sorted(self.reading.problems, key=lambda problem: problem.row or 0)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Read one byte past the cap, so that a larger file is refused unread.
        self.reading = csvfile.read(upload.read(csvfile.MAX_BYTES + 1))
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        badge = cleaned.get("badge")
        if badge and self.reading.rows:
            self.reading.problems.extend(csvfile.holders(badge, self.reading.rows))
        if self.reading.problems:
            self.add_error(
                "file",
                ngettext(
                    "The file has a problem (below); nothing was saved. Fix it and "
                    "upload the file again.",
                    "The file has %(count)d problems (below); nothing was saved. Fix "
                    "them and upload the file again.",
                    len(self.reading.problems),
                )
                % {"count": len(self.reading.problems)},
            )
        return cleaned
