from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import throttle, verification
from accounts.text import single_line


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

    def clean_first_name(self) -> str:
        return single_line(self.cleaned_data["first_name"])

    def clean_last_name(self) -> str:
        return single_line(self.cleaned_data["last_name"])

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


def _throttled(minutes: int) -> ValidationError:
    return ValidationError(
        ngettext(
            "Too many failed sign-ins. Try again in %(minutes)d minute, or reset your "
            "password.",
            "Too many failed sign-ins. Try again in %(minutes)d minutes, or reset your "
            "password.",
            minutes,
        ),
        code="throttled",
        params={"minutes": minutes},
    )


class ThrottleMixin:
    """Refuses sign-in while a username from this address (or the address itself) has
    failed too often: guessing passwords takes hours, not seconds, and nobody can
    lock an account out from elsewhere."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or self.cleaned_data.get("password") is None:
            return super().clean()
        address = throttle.client_address(self.request) if self.request else None
        try:
            attempt = throttle.start_sign_in(username, address)
        except throttle.Throttled as refused:
            raise _throttled(refused.minutes) from None
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code != "invalid_login":
                throttle.withdraw(attempt)
            raise
        throttle.signed_in(attempt)
        return cleaned


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    """The site's sign-in form."""


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """The admin's sign-in form, throttled alike."""


class ThrottledPasswordResetForm(PasswordResetForm):
    """Sends at most a few reset emails per email address and per client address.
    The answer is the same whether or not an account has the email."""

    def __init__(self, *args, request: HttpRequest | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        address = throttle.client_address(self.request) if self.request else None
        try:
            throttle.start_password_reset(email, address)
        except throttle.Throttled as refused:
            raise ValidationError(
                ngettext(
                    "Too many password reset requests. Check your inbox (and spam "
                    "folder) for the emails already sent, or try again in "
                    "%(minutes)d minute.",
                    "Too many password reset requests. Check your inbox (and spam "
                    "folder) for the emails already sent, or try again in "
                    "%(minutes)d minutes.",
                    refused.minutes,
                ),
                code="throttled",
                params={"minutes": refused.minutes},
            ) from None
        return email


class UnlockingSetPasswordForm(SetPasswordForm):
    """The new password chosen through the emailed link; it lifts any sign-in lock,
    and proves the address as the confirmation link would."""

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        throttle.password_reset(user.get_username())
        verification.mark_verified(user)
        return user


class CampusFinderForm(forms.Form):
    """Finds a person's campus sign-in from their university email address."""

    email = forms.EmailField(
        label=_("University email"),
        max_length=254,
        help_text=_("We send you to your campus's sign-in page."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = "sso_find"
        self.helper.add_input(Submit("find", _("Continue")))
