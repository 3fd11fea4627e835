from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import sso, verification
from accounts.forms import (
    CampusFinderForm,
    SignUpForm,
    ThrottledAuthenticationForm,
    ThrottledPasswordResetForm,
    UnlockingSetPasswordForm,
)
from accounts.mail import send_quietly
from config.middleware import absolute_url

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


def _local_accounts_only() -> None:
    if not settings.LOCAL_ACCOUNTS:
        raise Http404


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    _local_accounts_only()
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
        login(request, user, backend="accounts.backends.RoleBackend")
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


class SignInView(auth_views.LoginView):
    """Campus sign-in (a button per identity provider, or found by email) and, unless
    local accounts are switched off, the site's throttled password sign-in."""

    authentication_form = ThrottledAuthenticationForm

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        _local_accounts_only()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        finder = CampusFinderForm(
            initial={
                "email": self.request.GET.get("email", ""),
                "next": self.get_redirect_url(),
            }
        )
        return {
            **super().get_context_data(**kwargs),
            "campus_apps": sso.campus_apps(self.request),
            "finder": finder,
        }

    def render_to_response(self, context: dict, **kwargs) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        # The finder's answer redirects to the campus: the page's form-action must
        # allow it, or the browser stops there.
        if origins := sso.provider_origins(context["campus_apps"]):
            response.headers["Content-Security-Policy"] = (
                settings.CONTENT_SECURITY_POLICY.replace(
                    "form-action 'self'", " ".join(["form-action 'self'", *origins])
                )
            )
        return response


class SignOutView(auth_views.LogoutView):
    """Ends the site session. Someone who came through a campus OpenID provider is
    offered its sign-out as well: a link, because the page's form-action keeps a
    form's redirect on this site."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        campus = sso.campus_sign_out(request)
        response = super().post(request, *args, **kwargs)
        if campus is None:
            return response
        app, url = campus
        return render(
            request,
            "registration/logged_out.html",
            {"campus": app.name, "campus_sign_out": url},
        )


@require_GET
def sso_find(request: HttpRequest) -> HttpResponse:
    """The campus whose identity provider vouches for the email's domain."""
    form = CampusFinderForm(request.GET)
    next_url = _safe_next(request)
    app = form.is_valid() and sso.app_for_email(request, form.cleaned_data["email"])
    if not app:
        messages.error(
            request,
            _(
                "No campus sign-in is set up for that address. Choose your campus "
                "below, or write to %(office)s."
            )
            % {"office": settings.OFFICE_EMAIL},
        )
        query = urlencode({"email": form.data.get("email", "")[:254], "next": next_url})
        return redirect(f"{reverse('login')}?{query}")
    return sso.start(request, app, next_url)


@require_GET
def sso_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Sends the browser to one campus's identity provider."""
    for app in sso.campus_apps(request):
        if app.provider_id == slug:
            return sso.start(request, app, _safe_next(request))
    raise Http404


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, rate-limited by the requester's address and the email."""

    form_class = ThrottledPasswordResetForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        _local_accounts_only()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new-password page; the new password also lifts any sign-in lock."""

    form_class = UnlockingSetPasswordForm
