from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models import (
    Campus,
    CollaboratorCall,
    EmployerInput,
    Invitation,
    JoinRequest,
    Meeting,
    Role,
    Team,
)


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("save", label))
    return helper


def _require_affiliation(
    form: forms.ModelForm, cleaned: dict, role: str | None
) -> None:
    """Employer partners name their organisation; everyone else their campus."""
    if role == Role.EMPLOYER:
        if not cleaned.get("organisation", "").strip():
            form.add_error("organisation", _("Name the employer or organisation."))
    elif not cleaned.get("campus"):
        form.add_error("campus", _("Choose the campus this person comes from."))


def _not_in_future(day):
    # The record is evidence of what happened; plans belong in the agenda.
    if day > timezone.localdate():
        raise forms.ValidationError(
            _("This date is in the future; log it once it has happened.")
        )
    return day


class InvitationForm(forms.ModelForm):
    """Invite someone by email, whether or not they have an account yet."""

    class Meta:
        model = Invitation
        fields = ["email", "role", "campus", "organisation", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "email": _("They get a link that works once and expires."),
            "campus": _("For faculty, designers, staff liaisons and the lead."),
            "organisation": _("For employer and industry partners."),
        }

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["campus"].queryset = Campus.objects.active()
        self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.LEAD]
        self.helper = _helper(_("Send invitation"))

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.team.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(
                _("Someone with this email is already a member.")
            )
        if self.team.invitations.pending().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An invitation to this email is still waiting for an answer.")
            )
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        _require_affiliation(self, cleaned, cleaned.get("role"))
        return cleaned


class CallForm(forms.ModelForm):
    class Meta:
        model = CollaboratorCall
        fields = ["sought"]
        widgets = {"sought": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Open the call"))


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["campus", "organisation", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "message": _("Your expertise, courses you teach, employers you work with.")
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = Campus.objects.active()
        self.helper = _helper(_("Ask to join"))

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("campus") and not cleaned.get("organisation", "").strip():
            self.add_error(
                "campus", _("Choose your campus, or name your organisation.")
            )
        return cleaned


class DecideJoinForm(forms.Form):
    """The role given to someone whose request is accepted."""

    role = forms.ChoiceField(
        label=_("Role on the team"),
        choices=[c for c in Role.choices if c[0] != Role.LEAD],
        initial=Role.FACULTY,
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids no row can have before asking the database, which would otherwise
    fail on a number too large for it."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdecimal() or len(str(pk)) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "attendees", "agenda", "notes", "decisions"]
        field_classes = {"attendees": MemberChoiceField}
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "attendees": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = team.memberships.for_page()
        self.fields["attendees"].label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.username} — {m.get_role_display()}"
        )
        self.helper = _helper(_("Save meeting"))

    def clean_held_on(self):
        return _not_in_future(self.cleaned_data["held_on"])

    def clean_attendees(self):
        attendees = self.cleaned_data["attendees"]
        if len(attendees) < 2:
            raise forms.ValidationError(_("A meeting has at least two attendees."))
        return attendees


class EmployerInputForm(forms.ModelForm):
    class Meta:
        model = EmployerInput
        fields = ["person", "organisation", "given_on", "summary"]
        widgets = {
            "given_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save employer input"))

    def clean_given_on(self):
        return _not_in_future(self.cleaned_data["given_on"])
