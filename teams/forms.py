import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.templatetags.proposal_tags import person
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
from teams.services import accounts_with, invitable_people, profile_campuses


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("save", label))
    return helper


def _not_in_future(day):
    # The record is evidence of what happened; plans belong in the agenda.
    if day > timezone.localdate():
        raise forms.ValidationError(
            _("This date is in the future; log it once it has happened.")
        )
    return day


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids no row can have before asking the database, which would otherwise
    fail on a number too large for it (posted ids are anyone's guess)."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdecimal() or len(str(pk)) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


# Invitations sent from one form, at most.
MAX_INVITEES = 10


class InvitationForm(forms.ModelForm):
    """Invite one or several people in one role: by email, whether or not they have
    an account yet, or (with the people lookup) by account. Each invitee's campus is
    the one chosen here, or else the campus on their profile."""

    email = forms.CharField(
        label=_("Email addresses"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One or more, separated by commas or new lines. Each gets a link that "
            "works once and expires."
        ),
    )
    people = IdsChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )

    class Meta:
        model = Invitation
        fields = ["role", "campus", "organisation", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "campus": _(
                "For faculty, designers, staff liaisons and the lead; empty: the "
                "campus on each person's profile."
            ),
            "organisation": _("For employer and industry partners."),
        }

    def __init__(
        self, *args, team: Team, staff: bool, lookup_url: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.staff = staff
        # How each address is named back: as typed, or for people picked with the
        # lookup, by name unless staff (who may see addresses).
        self.labels: dict[str, str] = {}
        self.fields["campus"].queryset = Campus.objects.active()
        self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.LEAD]
        self.fields["people"].queryset = invitable_people(team)
        self.helper = _helper(_("Send invitation"))
        self.helper.layout = Layout(
            HTML('{% include "teams/_people_lookup.html" %}' if lookup_url else ""),
            "email",
            "role",
            "campus",
            "organisation",
            "message",
        )
        self.lookup_url = lookup_url

    @property
    def chosen(self) -> list:
        """The people picked with the lookup, shown again when the form comes back."""
        if not self.is_bound or "people" in self.errors:
            return []
        return list(self.cleaned_data.get("people") or [])

    def clean_email(self) -> list[str]:
        addresses = []
        for raw in re.split(r"[\s,;]+", self.cleaned_data["email"]):
            if not raw:
                continue
            address = raw.lower()
            try:
                validate_email(address)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("“%(address)s” is not an email address.") % {"address": raw}
                ) from error
            if address not in addresses:
                addresses.append(address)
        return addresses

    def clean(self) -> dict:
        cleaned = super().clean()
        addresses = list(cleaned.get("email") or [])
        self.labels = {address: address for address in addresses}
        for chosen in cleaned.get("people") or []:
            address = chosen.email.lower()
            if address and address not in addresses:
                addresses.append(address)
                self.labels[address] = address if self.staff else person(chosen)
        if "email" in self.errors:
            return cleaned
        if not addresses:
            self.add_error("email", _("Give at least one email address."))
        elif len(addresses) > MAX_INVITEES:
            self.add_error(
                "email",
                _("Invite at most %(n)d people at once.") % {"n": MAX_INVITEES},
            )
        for address in addresses:
            if self.team.memberships.filter(user__email__iexact=address).exists():
                self.add_error(
                    "email",
                    _("%(a)s is already a member.") % {"a": self.labels[address]},
                )
            elif self.team.invitations.pending().filter(email__iexact=address).exists():
                self.add_error(
                    "email",
                    _("An invitation to %(a)s is still waiting for an answer.")
                    % {"a": self.labels[address]},
                )
        cleaned["invitees"] = self._campuses(cleaned, addresses)
        return cleaned

    def _campuses(self, cleaned: dict, addresses: list[str]) -> dict:
        """Each address with the campus it is invited for; an error for those
        without one where the role needs it."""
        role = cleaned.get("role")
        if role == Role.EMPLOYER:
            if not cleaned.get("organisation", "").strip():
                self.add_error("organisation", _("Name the employer or organisation."))
            return dict.fromkeys(addresses)
        if cleaned.get("campus"):
            return dict.fromkeys(addresses, cleaned["campus"])
        accounts = accounts_with(addresses)
        by_id = profile_campuses(accounts)
        known = {
            user.email.lower(): by_id[user.pk] for user in accounts if user.pk in by_id
        }
        missing = [address for address in addresses if address not in known]
        if missing:
            self.add_error(
                "campus",
                _("Choose the campus these people come from: %(who)s.")
                % {"who": ", ".join(self.labels[address] for address in missing)},
            )
        return {address: known.get(address) for address in addresses}


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


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "attendees", "agenda", "notes", "decisions"]
        field_classes = {"attendees": IdsChoiceField}
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
