from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import verification
from accounts.forms import (
    SignUpForm,
    ThrottledPasswordResetForm,
    UnlockingSetPasswordForm,
)
from config.middleware import absolute_url
from proposals.notifications import send_quietly

# Where to go once the address is confirmed (an invitation link, say).
AFTER_VERIFICATION = "after_verification"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def _send_link(user) -> None:
    url = absolute_url(reverse("verify_email", args=[verification.make_token(user)]))
    body = render_to_string("emails/verify_email.txt", {"user": user, "url": url})
    subject = _("Confirm your email address")
    transaction.on_commit(lambda: send_quietly(subject, body, [user.email]))


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    # An invitation link passes the invited address along, so the account matches it.
    form = SignUpForm(
        request.POST or None, initial={"email": request.GET.get("email", "")}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            verification.require_verification(user)
            _send_link(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if target := _safe_next(request):
            request.session[AFTER_VERIFICATION] = target
        messages.success(
            request,
            _(
                "Welcome! To finish, open the link we sent to %(email)s: it confirms "
                "the address is yours."
            )
            % {"email": user.email},
        )
        return redirect("dashboard")
    return render(
        request, "registration/signup.html", {"form": form, "next": _safe_next(request)}
    )


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: GET asks to confirm (mail scanners follow links), POST
    confirms."""
    if request.method == "GET":
        return render(request, "registration/verify_email.html", {"token": token})
    user = verification.confirm(token)
    if user is None:
        messages.error(
            request,
            _(
                "This confirmation link is invalid or has expired. Sign in and ask "
                "for a new one from your dashboard."
            ),
        )
        return redirect("dashboard" if request.user.is_authenticated else "login")
    messages.success(request, _("Thank you: your email address is confirmed."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        request.session.pop(verification.SESSION_FLAG, None)
        return redirect(request.session.pop(AFTER_VERIFICATION, "") or "dashboard")
    return redirect("dashboard" if request.user.is_authenticated else "login")


@require_POST
@login_required
def verify_email_resend(request: HttpRequest) -> HttpResponse:
    user = request.user
    if verification.is_verified(user):
        messages.info(request, _("Your email address is already confirmed."))
    elif verification.may_resend(user):
        _send_link(user)
        messages.success(
            request,
            _("A new link is on its way to %(email)s.") % {"email": user.email},
        )
    else:
        messages.error(
            request, _("A link was sent less than a minute ago; check your inbox.")
        )
    return redirect("dashboard")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, rate-limited by the requester's address and the email."""

    form_class = ThrottledPasswordResetForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new-password page; the new password also lifts any sign-in lock."""

    form_class = UnlockingSetPasswordForm
