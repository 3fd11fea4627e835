from datetime import date, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import Vote
from proposals.forms import check_voting_deadline


def _helper(label: str, css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    button = Submit("submit", label)
    # Replace the default "btn-primary" rather than add a second colour to it.
    button.field_classes = f"btn {css}"
    helper.add_input(button)
    return helper


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record my vote"))


class RecuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Your conflict of interest"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Recuse myself"), "btn-outline-secondary")


class RoundCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add to the discussion"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Post comment"), "btn-outline-primary")


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("The committee's comments for the team"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the outcome rejects or returns the proposal."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Close the round and record the decision"), "btn-success"
        )


class ExtendForm(forms.Form):
    deadline = forms.DateField(
        label=_("New voting deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    meeting_on = forms.DateField(
        label=_("Meeting date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Extend the round"), "btn-outline-primary")

    def clean_deadline(self) -> date:
        return check_voting_deadline(self.cleaned_data["deadline"])

    def clean_meeting_on(self) -> date | None:
        day = self.cleaned_data["meeting_on"]
        today = timezone.localdate()
        if day and not today <= day <= today + timedelta(days=365):
            raise forms.ValidationError(
                _("Give a meeting date from today to a year ahead, or none.")
            )
        return day
