from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts import verification

# What an unverified account may still open: its dashboard, the public pages and
# what it needs to verify, sign out or change its password.
OPEN_TO_UNVERIFIED = {
    "home",
    "dashboard",
    "healthz",
    "login",
    "logout",
    "signup",
    "password_change",
    "password_change_done",
    "verify_email",
    "verify_email_resend",
    "sso_find",
    "sso_start",
    "saml_acs",
    "saml_finish_acs",
    "saml_sls",
    "saml_metadata",
    "openid_connect_callback",
}
PUBLIC_NAMESPACES = {"catalog", "issuers"}
# The public award pages verifiers, employers and the recipient's claim link open:
# public for every visitor, signed in or not.
PUBLIC_VIEWS = {
    "awards:verify",
    "awards:verify_file",
    "awards:file",
    "awards:claim",
    "awards:status_list",
}


class VerifiedEmailMiddleware:
    """Sends a signed-in account whose email is unconfirmed back to its dashboard
    from every page but the few it may use (the services refuse the actions too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs):
        if not request.user.is_authenticated or not request.session.get(
            verification.SESSION_FLAG
        ):
            return None
        if verification.is_verified(request.user):
            del request.session[verification.SESSION_FLAG]
            return None
        match = request.resolver_match
        if (
            match.url_name in OPEN_TO_UNVERIFIED
            or match.namespace in PUBLIC_NAMESPACES
            or match.view_name in PUBLIC_VIEWS
        ):
            return None
        messages.warning(
            request,
            _("Confirm your email address first: open the link we sent to %(email)s.")
            % {"email": request.user.email},
        )
        return redirect("dashboard")
