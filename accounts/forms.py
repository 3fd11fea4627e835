from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import throttle


class SignUpForm(UserCreationForm):
    """Self-service account for faculty and staff who want to propose a credential."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("University email"),
        help_text=_("Notifications about your proposals are sent here."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["first_name", "last_name", "email", "username"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("signup", _("Create account")))

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account already uses this email. Sign in, or reset the password.")
            )
        return email

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


class ThrottleMixin:
    """Refuses sign-in while a username (or an address) has failed too often:
    guessing passwords takes hours, not seconds."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request else None
        if minutes := throttle.minutes_locked(username, address):
            raise ValidationError(
                ngettext(
                    "Too many failed sign-ins. Try again in %(minutes)d minute, or "
                    "reset your password.",
                    "Too many failed sign-ins. Try again in %(minutes)d minutes, or "
                    "reset your password.",
                    minutes,
                ),
                code="throttled",
                params={"minutes": minutes},
            )
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttle.record_failure(username, address)
            raise
        throttle.clear(username)
        return cleaned


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    """The site's sign-in form."""


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """The admin's sign-in form, throttled alike."""
